-- wrk script: reads the results of the demo's open batch, as every citizen
-- of an after_vote batch does once after voting. With BSV_BENCH_PAUSE_MS
-- each connection waits that long between reads, so N connections read
-- about N * 1000 / pause times a second; without it they read back to back.
-- Prints one machine-readable line at the end.
wrk.method = "GET"
wrk.path = "/api/v1/batches/2018-3-social-medical/results"

local pause = tonumber(os.getenv("BSV_BENCH_PAUSE_MS") or "")
if pause then
  function delay()
    return pause
  end
end

function done(summary, latency, requests)
  io.write(string.format("BENCH requests=%d duration_us=%d non2xx=%d errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
