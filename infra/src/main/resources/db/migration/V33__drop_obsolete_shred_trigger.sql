-- V32 unlinked statistics when shredding replaced a conversation's resume hash. Shredding now deletes the row
-- instead (delete on request: V30's delete trigger records 'deleted' and the link cascades; retention: the job
-- removes the link before deleting, so expiry is not counted as a deletion). The V32 trigger can no longer fire,
-- so it goes, and V32's description no longer applies.
DROP TRIGGER IF EXISTS stat_conversation_update_shred ON conversation;
DROP FUNCTION IF EXISTS stat_conversation_shredded();
