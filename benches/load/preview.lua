-- wrk script: POST the request file named by $REQUEST to the preview endpoint.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = assert(io.open(os.getenv("REQUEST"), "r"))
wrk.body = f:read("*a")
f:close()
