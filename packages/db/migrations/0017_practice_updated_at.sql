-- 0017 practices carry updated_at (issue 5): the billing provider loop of every claim (2010AA: the group NPI, TIN,
-- taxonomy, name and address) is the practice's, so a fix there is a change on file that
-- `openrcm claims resubmit --all-rejected` must notice, as it notices one to the claim's providers and location
-- (0012). Rows from before this migration count as unchanged since they were created; an UPDATE that leaves
-- updated_at as it was gets the transaction's time (openrcm_touch_updated_at, 0012).
ALTER TABLE practices ADD COLUMN updated_at timestamptz;
UPDATE practices SET updated_at = created_at;
ALTER TABLE practices ALTER COLUMN updated_at SET NOT NULL, ALTER COLUMN updated_at SET DEFAULT now();
CREATE TRIGGER practices_touch_updated_at BEFORE UPDATE ON practices
  FOR EACH ROW EXECUTE FUNCTION openrcm_touch_updated_at();
