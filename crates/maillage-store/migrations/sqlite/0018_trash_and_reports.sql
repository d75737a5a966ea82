-- Issue 13. Kept in step with the other dialect's 0018_trash_and_reports.sql: same columns, same meaning.

-- The directory's trash ("Corbeille"): an actor deleted is only marked, kept 30 days for a restore, then purged
-- (`network::trash`). Its contacts, personal data, are erased at once and never kept in the trash.
ALTER TABLE network_actor ADD COLUMN deleted_at TEXT;
ALTER TABLE network_actor ADD COLUMN deleted_by TEXT;
CREATE INDEX network_actor_deleted ON network_actor (deleted_at);

-- A volunteer who could not do a mission says why: the request goes back to the coordinator, who reads the
-- volunteer's name, the moment and the reason until the request is given to someone again.
ALTER TABLE crisis_request ADD COLUMN not_done_reason TEXT;
ALTER TABLE crisis_request ADD COLUMN not_done_by TEXT;
ALTER TABLE crisis_request ADD COLUMN not_done_at TEXT;
