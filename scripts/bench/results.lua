-- wrk script: reads the results of the demo's open batch, as every citizen
-- of an after_vote batch does once after voting. With BSV_BENCH_PAUSE_MS
-- each connection waits that long between reads, so N connections read
-- about N * 1000 / pause times a second; without it they read back to back.
wrk.method = "GET"
wrk.path = "/api/v1/batches/2018-3-social-medical/results"

dofile(os.getenv("BSV_BENCH_REPORT"))
