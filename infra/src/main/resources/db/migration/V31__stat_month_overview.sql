-- Month overview per help point and priority (inflow, abandoned, p50/p90 wait) for finished months. Exact percentiles
-- need a sort of every case of the month, which takes seconds at a million cases; a finished month does not change,
-- so it is computed once (StatsRepository.monthOverview) and read as ~25 rows afterwards. Only codes and numbers.
CREATE TABLE stat_month_overview (
  month        date NOT NULL,                 -- first day of the month (Dutch local time)
  help_point   text NOT NULL,
  priority     smallint NOT NULL DEFAULT -1,  -- -1 = no priority recorded
  inflow       bigint NOT NULL,
  abandoned    bigint NOT NULL,
  replied      bigint NOT NULL,
  p50_seconds  double precision,
  p90_seconds  double precision,
  computed_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (month, help_point, priority)
);
