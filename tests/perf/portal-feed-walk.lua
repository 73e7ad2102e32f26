-- wrk script for tests/perf/portal-feed.sh with WALK=1: every request asks
-- for the page after a random position of the feed (NEWEST: the newest
-- change's position), so nearly every page is one the portal has not
-- answered before: the uncached path.
local newest = tonumber(os.getenv("NEWEST") or "1000")
math.randomseed(os.time())
request = function()
  local since = math.random(0, newest - 1)
  return wrk.format("GET", string.format("/api/v1/submissions/changes?limit=100&since=c%x", since))
end
