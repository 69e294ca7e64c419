-- wrk script: PATCH /api/v1/users/me, a one-row write in one transaction.
wrk.method = "PATCH"
wrk.body = '{"display_name": "Bench Learner"}'
wrk.headers["Content-Type"] = "application/json"
