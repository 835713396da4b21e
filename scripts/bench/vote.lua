-- wrk script: every request is a new anonymous vote in the demo's open
-- batch, from a place picked at random, with a vote id no other request
-- of any run has: 32 random bits of the run (BSV_BENCH_RUN), the thread's
-- number and a counter.
local places = dofile(os.getenv("BSV_BENCH_PLACES"))
local run = tonumber(os.getenv("BSV_BENCH_RUN"))
local options = {
  "clinic-card", "repeat-tests", "no-timed-booking", "pay-queues", "remote-filing-stamp",
  "remote-advance-pay", "reimburse-paper", "chronic-illness", "transfer-insurance",
  "pension-alive-check", "card-replacement", "unemployment-onsite", "birth-many-offices",
  "maternity-proofs", "death-affairs",
}
local threads = 0
local counter = 0

function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end

function init(args)
  math.randomseed(run + number * 7919)
end

function request()
  counter = counter + 1
  local id = string.format("%08x-%04x-4%03x-%x%03x-%012x", run, number, math.random(0, 0xfff),
    8 + math.random(0, 3), math.random(0, 0xfff), counter)
  local place = places[math.random(#places)]
  local first = math.random(#options)
  local second = (first + math.random(1, #options - 1) - 1) % #options + 1
  local body = string.format(
    '{"batch_id":"2018-3-social-medical","vote_id":"%s","location":{"province":"%s","city":"%s","county":"%s"},'
      .. '"choices":["%s","%s"],"client":{"widget_version":"0.1.0","locale":"zh-CN","embed_origin":"https://www.gov.cn"}}',
    id, place[1], place[2], place[3], options[first], options[second])
  return wrk.format("POST", "/api/v1/votes",
    { ["Content-Type"] = "application/json", ["Idempotency-Key"] = id }, body)
end

dofile(os.getenv("BSV_BENCH_REPORT"))
