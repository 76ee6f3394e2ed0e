-- Referral statistics (from -> to, offered / accepted / declined / picked up) from the console's referral table (V20),
-- through the stat_emit hook of V30. Codes only; the referral id itself is not copied into the statistics.
CREATE FUNCTION stat_referral_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  k text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    k := CASE WHEN NEW.state = 'offered' THEN 'referral_offered' END;
  ELSIF NEW.state IS DISTINCT FROM OLD.state THEN
    k := CASE NEW.state WHEN 'accepted' THEN 'referral_accepted'
                        WHEN 'declined' THEN 'referral_declined'
                        WHEN 'picked_up' THEN 'referral_picked_up' END;
  END IF;
  IF k IS NOT NULL THEN
    PERFORM stat_emit(NEW.conversation_id, k, NULL, NEW.to_org, NEW.to_help_point);
  END IF;
  RETURN NULL;
EXCEPTION WHEN OTHERS THEN
  -- Statistics must never stop a referral.
  RAISE WARNING 'statistics trigger % failed: %', TG_NAME, SQLSTATE;
  RETURN NULL;
END $$;
CREATE TRIGGER stat_referral_insert AFTER INSERT ON referral
  FOR EACH ROW EXECUTE FUNCTION stat_referral_changed();
CREATE TRIGGER stat_referral_update AFTER UPDATE OF state ON referral
  FOR EACH ROW EXECUTE FUNCTION stat_referral_changed();
