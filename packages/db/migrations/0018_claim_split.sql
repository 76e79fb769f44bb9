-- 0018 Claim split rules (issue 5 §2): an encounter may hold more than 50 charges, a charge may name its own
-- rendering provider, and a payer may require one rendering provider per claim.
--
-- Claim construction splits an encounter into several claims when its charges exceed the 837P's 50 service lines
-- per claim (2400 loop), and, for a payer with claim_per_rendering_provider, when its charges were rendered by
-- different providers (one claim per provider). A payer that takes several rendering providers on one claim gets
-- the line's own provider in 2420A, kept on the claim line (claim_lines.rendering_provider_id, set only where the
-- line's provider is not the claim's).

ALTER TABLE charges DROP CONSTRAINT charges_line_number_check;
ALTER TABLE charges ADD CONSTRAINT charges_line_number_check CHECK (line_number BETWEEN 1 AND 999);
-- The provider who rendered this service when not the encounter's (NULL: the encounter's rendering provider).
ALTER TABLE charges ADD COLUMN rendering_provider_id bigint;
ALTER TABLE charges ADD CONSTRAINT charges_rendering_provider_fkey
  FOREIGN KEY (practice_id, rendering_provider_id) REFERENCES providers (practice_id, id);

ALTER TABLE payers ADD COLUMN claim_per_rendering_provider boolean NOT NULL DEFAULT false;

-- 2420A: the line's rendering provider where it differs from the claim's 2310B.
ALTER TABLE claim_lines ADD COLUMN rendering_provider_id bigint;
DROP TRIGGER claim_lines_references ON claim_lines;
CREATE TRIGGER claim_lines_references AFTER INSERT ON claim_lines
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION openrcm_check_references(
    'practice_id,claim_id', 'claims', 'practice_id,id',
    'practice_id,claim_version_id', 'claim_versions', 'practice_id,id',
    'practice_id,charge_id', 'charges', 'practice_id,id',
    'practice_id,rendering_provider_id', 'providers', 'practice_id,id');
DROP TRIGGER claim_lines_references_update ON claim_lines;
CREATE TRIGGER claim_lines_references_update AFTER UPDATE ON claim_lines FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.claim_id IS DISTINCT FROM NEW.claim_id
        OR OLD.claim_version_id IS DISTINCT FROM NEW.claim_version_id OR OLD.charge_id IS DISTINCT FROM NEW.charge_id
        OR OLD.rendering_provider_id IS DISTINCT FROM NEW.rendering_provider_id)
  EXECUTE FUNCTION openrcm_check_references(
    'practice_id,claim_id', 'claims', 'practice_id,id',
    'practice_id,claim_version_id', 'claim_versions', 'practice_id,id',
    'practice_id,charge_id', 'charges', 'practice_id,id',
    'practice_id,rendering_provider_id', 'providers', 'practice_id,id');
-- A provider a claim line names cannot be deleted or re-keyed (what the claims' own references get in 0014).
CREATE TRIGGER providers_claim_line_references AFTER DELETE ON providers
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claim_lines', 'practice_id,rendering_provider_id');
CREATE TRIGGER providers_claim_line_references_rekey AFTER UPDATE ON providers FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claim_lines', 'practice_id,rendering_provider_id');
-- The probe of the two triggers above; few lines name a provider of their own.
CREATE INDEX claim_lines_rendering_idx ON claim_lines (practice_id, rendering_provider_id)
  WHERE rendering_provider_id IS NOT NULL;

-- The charges a claim bills, for rebuilding it (a resubmission or a corrected version): every active charge of its
-- encounter while it is the encounter's only claim of its responsibility (a charge added since is billed too), else
-- the active charges its versions have billed (a split claim keeps its own part).
CREATE FUNCTION claim_charges(p_practice_id bigint, p_claim_id bigint) RETURNS SETOF charges
LANGUAGE sql STABLE AS $$
  SELECT ch.*
    FROM claims c
    JOIN charges ch ON ch.practice_id = c.practice_id AND ch.encounter_id = c.encounter_id AND ch.status = 'active'
   WHERE c.practice_id = p_practice_id AND c.id = p_claim_id
     AND (NOT EXISTS (SELECT 1 FROM claims o WHERE o.practice_id = c.practice_id AND o.encounter_id = c.encounter_id
                         AND o.responsibility = c.responsibility AND o.id <> c.id)
          OR ch.id IN (SELECT l.charge_id FROM claim_lines l WHERE l.practice_id = c.practice_id AND l.claim_id = c.id))
$$;
