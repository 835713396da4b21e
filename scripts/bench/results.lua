-- wrk script: reads the results of the demo's open batch, as every citizen
-- of an after_vote batch does once after voting. Prints one
-- machine-readable line at the end.
wrk.method = "GET"
wrk.path = "/api/v1/batches/2018-3-social-medical/results"

function done(summary, latency, requests)
  io.write(string.format("BENCH requests=%d duration_us=%d non2xx=%d errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
