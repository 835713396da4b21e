-- wrk script: the reads that show a citizen their region and the earlier
-- batches, in turn: every province's results of the demo's open batch,
-- the results of every city of a province picked at random, and the list
-- of batches (national totals and follow-up). Back to back unless
-- BSV_BENCH_PAUSE_MS says how long each connection waits between reads.
local places = dofile(os.getenv("BSV_BENCH_PLACES"))
local regions = "/api/v1/batches/2018-3-social-medical/results/regions"
local counter = 0

function request()
  counter = counter + 1
  local turn = counter % 3
  if turn == 0 then
    return wrk.format("GET", regions)
  elseif turn == 1 then
    return wrk.format("GET", regions .. "?level=city&province=" .. places[math.random(#places)][1])
  end
  return wrk.format("GET", "/api/v1/batches")
end

dofile(os.getenv("BSV_BENCH_REPORT"))
