// The same form as the widget, written by hand in plain JavaScript: the
// batch and the province list from the same collector, a select per place
// level, a checkbox per option, the other text, a submit button. What a
// page without any framework or wasm costs to show the form.
const form = document.getElementById('form');
const [batch, provinces] = await Promise.all([
  fetch('/api/v1/batches/current', { headers: { Accept: 'application/json', 'Accept-Language': 'zh-CN' } }).then((r) => r.json()),
  fetch('/regions/provinces.json').then((r) => r.json()),
]);

const element = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};
const select = (id, label, names) => [
  element('label', { htmlFor: id }, label),
  element('select', { id }, element('option', { value: '' }, '请选择'), ...names.map(([code, name]) => element('option', { value: code }, name))),
];

const place = element('fieldset', {}, element('legend', {}, '您在哪里办的事？'),
  ...select('province', '省（自治区、直辖市）', provinces.map((p) => [p.code, p.name])),
  ...select('city', '市', []),
  ...select('county', '县（区）', []));
const choices = element('fieldset', {}, element('legend', {}, `最希望解决的堵点（最多选 ${batch.choices.max} 项）`),
  ...batch.options.map((option) => element('label', { className: 'plain__choice' },
    element('input', { type: 'checkbox', name: 'choice', value: option.id }), element('span', {}, option.text))));
const other = batch.other?.enabled
  ? [element('label', { htmlFor: 'other' }, '其他堵点（选填）'), element('textarea', { id: 'other', maxLength: batch.other.max_length })]
  : [];
form.replaceChildren(
  element('h2', {}, batch.title),
  ...(batch.description ? [element('p', {}, batch.description)] : []),
  place, choices, ...other,
  element('button', { type: 'submit', className: 'plain__submit' }, '提交'),
);

document.getElementById('province').addEventListener('change', async (event) => {
  const file = await fetch(`/regions/${event.target.value}.json`).then((r) => r.json());
  document.getElementById('city').replaceChildren(element('option', { value: '' }, '请选择'),
    ...file.cities.map((city) => element('option', { value: city.code }, city.name)));
});
form.addEventListener('submit', (event) => event.preventDefault());
