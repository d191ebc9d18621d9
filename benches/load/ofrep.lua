-- wrk script: OFREP's bulk evaluation as a web provider polls it, for one
-- user; with $ETAG set, each poll names that tag (answered 304).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json; charset=utf-8"
wrk.body = '{"context":{"targetingKey":"load-user-1"}}'
local etag = os.getenv("ETAG")
if etag and etag ~= "" then
  wrk.headers["If-None-Match"] = etag
end
