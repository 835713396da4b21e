//! Picking the language of batch content from `Accept-Language`. Rough on
//! purpose: the widget sends one tag (`zh-CN` or `en`), browsers send a list
//! with q-values, and a batch has at most a few languages.

/// The language every batch is written in; served when nothing else fits.
pub const DEFAULT: &str = "zh-CN";

/// The first of `available` (plus [`DEFAULT`]) that the header accepts, taking
/// the header's tags in order of q-value. A tag matches a language with the
/// same primary subtag, so `en-US` gets `en` and `zh-Hans` gets `zh-CN`.
pub fn negotiate<'a>(header: Option<&str>, available: impl Iterator<Item = &'a str> + Clone) -> &'a str {
    let Some(header) = header else { return DEFAULT };
    let mut wanted: Vec<(&str, f32)> = header
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then_some((tag, q))
        })
        .collect();
    wanted.sort_by(|a, b| b.1.total_cmp(&a.1));
    wanted
        .iter()
        .find_map(|(tag, _)| {
            if *tag == "*" {
                return Some(DEFAULT);
            }
            std::iter::once(DEFAULT).chain(available.clone()).find(|lang| primary(lang).eq_ignore_ascii_case(primary(tag)))
        })
        .unwrap_or(DEFAULT)
}

fn primary(tag: &str) -> &str {
    tag.split(['-', '_']).next().unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(header: Option<&str>) -> &'static str {
        negotiate(header, ["en"].into_iter())
    }

    #[test]
    fn english_in_any_region_gets_english() {
        assert_eq!(pick(Some("en")), "en");
        assert_eq!(pick(Some("en-US,en;q=0.9")), "en");
        assert_eq!(pick(Some("EN-gb")), "en");
    }

    #[test]
    fn chinese_or_nothing_supported_gets_the_default() {
        assert_eq!(pick(None), DEFAULT);
        assert_eq!(pick(Some("zh-CN,zh;q=0.9,en;q=0.8")), DEFAULT);
        assert_eq!(pick(Some("zh-Hans")), DEFAULT);
        assert_eq!(pick(Some("fr-FR, de")), DEFAULT);
        assert_eq!(pick(Some("*")), DEFAULT);
        assert_eq!(pick(Some("")), DEFAULT);
    }

    #[test]
    fn q_values_order_the_preferences() {
        assert_eq!(pick(Some("zh-CN;q=0.5, en;q=0.8")), "en");
        assert_eq!(pick(Some("fr, en;q=0.1, zh;q=0.2")), DEFAULT);
        assert_eq!(pick(Some("en;q=0, zh")), DEFAULT);
    }

    #[test]
    fn a_batch_without_translations_is_always_in_the_default() {
        assert_eq!(negotiate(Some("en"), std::iter::empty()), DEFAULT);
    }
}
