-- 0012 providers and locations carry updated_at (issue 5): `openrcm claims resubmit --all-rejected` picks the
-- rejected claims whose data on file changed after the rejection, and a claim's rendering and billing providers
-- (2310B / 2010AA: NPI, name, taxonomy) and its service location (2310C: NPI, address) are part of that data.
-- Rows from before this migration count as unchanged since they were created.
ALTER TABLE providers ADD COLUMN updated_at timestamptz;
UPDATE providers SET updated_at = created_at;
ALTER TABLE providers ALTER COLUMN updated_at SET NOT NULL, ALTER COLUMN updated_at SET DEFAULT now();

ALTER TABLE locations ADD COLUMN updated_at timestamptz;
UPDATE locations SET updated_at = created_at;
ALTER TABLE locations ALTER COLUMN updated_at SET NOT NULL, ALTER COLUMN updated_at SET DEFAULT now();

-- The application sets updated_at itself, from its injected clock (`updateProvider`), as it does for
-- patients, coverages and encounters. An UPDATE that changes a row but leaves updated_at as it was (a repair
-- in psql, a path that forgot it) gets the transaction's time, so a fix is never invisible to the resubmission.
CREATE FUNCTION openrcm_touch_updated_at() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at AND NEW IS DISTINCT FROM OLD THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER providers_touch_updated_at BEFORE UPDATE ON providers
  FOR EACH ROW EXECUTE FUNCTION openrcm_touch_updated_at();
CREATE TRIGGER locations_touch_updated_at BEFORE UPDATE ON locations
  FOR EACH ROW EXECUTE FUNCTION openrcm_touch_updated_at();
