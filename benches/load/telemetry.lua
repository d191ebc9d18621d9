-- wrk script: POST batches of 50 distinct preview_generated events to /v1/telemetry.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local counter = 0
local thread_id = 0
setup = function(thread)
  thread:set("tid", thread_id)
  thread_id = thread_id + 1
end
request = function()
  counter = counter + 1
  local events = {}
  local now = os.time() * 1000
  for i = 1, 50 do
    events[i] = string.format('{"id":"%d-%d-%d","type":"preview_generated","at":%d,"sessionId":"s","strategy":"supersets","targetMinutes":30,"fits":true,"generationMs":0.05}', tid, counter, i, now)
  end
  return wrk.format(nil, "/v1/telemetry", nil, '{"events":[' .. table.concat(events, ",") .. ']}')
end
