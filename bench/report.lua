-- wrk script for bench/report's reads over HTTP: the URL given to wrk (a report, with its query)
-- on every request, as the account whose token bench/report passes in a header.
dofile("bench/wrk_common.lua")
