-- Issue 22: the month overview carries the manager figures too: waited longer than 5 and 10 minutes without an
-- answer, and left before being helped after assignment (before the first reply) or during the chat. Existing stored
-- months get NULL and are recomputed on their next read (StatsRepository.monthOverview treats NULL as stale).
ALTER TABLE stat_month_overview
  ADD COLUMN over_5m bigint,
  ADD COLUMN over_10m bigint,
  ADD COLUMN left_before_reply bigint,
  ADD COLUMN left_during_chat bigint;
