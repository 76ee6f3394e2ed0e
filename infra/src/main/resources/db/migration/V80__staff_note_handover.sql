-- A referral's handover note (issue 18): written by the sending counselor for the receiving organisation, stored
-- with org_id = the receiver and sealed with the chat's data key. The receiver can unwrap that key only after the
-- visitor consented (TranscriptService.shareWith), so the note is readable exactly when the transcript is.
ALTER TABLE staff_note DROP CONSTRAINT staff_note_kind_check;
ALTER TABLE staff_note ADD CONSTRAINT staff_note_kind_check CHECK (kind IN ('whisper', 'transfer', 'handover'));
