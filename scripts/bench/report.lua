-- Shared by the wrk scripts here (dofile): with BSV_BENCH_PAUSE_MS each
-- connection waits that long between requests; at the end of a run, one
-- machine-readable line for scripts/bench-collector.

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
