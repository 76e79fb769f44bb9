-- 0014 Claims in bulk (issue 5, performance): the references of the rows a claim run writes per claim and per
-- line — claims, versions, lines, status history, scrubber issues, batch membership — checked once per statement
-- instead of once per row.
--
-- A foreign key runs one query per inserted row and key: building 100,000 claims of three lines ran about
-- 1.6 million of them (eight per claim, three per line, two per history row), about half of the cost of
-- inserting those rows on either database. The same rules now run as one set-based check per INSERT statement over
-- its transition table (each distinct key once, probed through the referenced table's unique index), and per row
-- only when an UPDATE changes a referencing column (nothing does today). The referenced side keeps what NO ACTION
-- did: deleting, truncating or re-keying a row that is still referenced is refused. As with 0009, no row lock is
-- taken on the referenced rows; the database's own code never deletes them.

-- Every distinct non-null key of the new rows exists in the referenced table. TG_ARGV holds triples:
-- referencing columns, referenced table, referenced columns (comma-separated, in the same order).
CREATE FUNCTION openrcm_check_references() RETURNS trigger
LANGUAGE plpgsql
-- Index probes per distinct key, never a hash or merge join that reads the whole referenced table per statement.
SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
DECLARE
  i int := 0;
  cols text[];
  refcols text[];
  sel text;
  present text;
  cond text;
  probe text;
  bad boolean;
BEGIN
  WHILE i + 2 < TG_NARGS LOOP
    cols := string_to_array(TG_ARGV[i], ',');
    refcols := string_to_array(TG_ARGV[i + 2], ',');
    SELECT string_agg(format('%I', c), ', '), string_agg(format('%I IS NOT NULL', c), ' AND ')
      INTO sel, present FROM unnest(cols) AS c;
    SELECT string_agg(format('r.%I = n.%I', rc, c), ' AND ')
      INTO cond FROM unnest(refcols, cols) AS u(rc, c);
    probe := format('SELECT EXISTS (SELECT 1 FROM (SELECT DISTINCT %s FROM %%s WHERE %s) n '
                    'WHERE NOT EXISTS (SELECT 1 FROM %I r WHERE %s))', sel, present, TG_ARGV[i + 1], cond);
    IF TG_LEVEL = 'STATEMENT' THEN
      EXECUTE format(probe, 'new_rows') INTO bad;
    ELSE
      EXECUTE format(probe, '(SELECT ($1).*) x') INTO bad USING NEW;
    END IF;
    IF bad THEN
      RAISE EXCEPTION 'a row of % names a row of % that does not exist in its practice', TG_TABLE_NAME, TG_ARGV[i + 1]
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_TABLE_NAME || '_references';
    END IF;
    i := i + 3;
  END LOOP;
  RETURN NULL;
END;
$$;

-- No row of a referencing table names a deleted (or re-keyed) row, and a referenced table is not truncated while
-- a referencing table has rows. TG_ARGV holds triples: this table's key columns, referencing table, its columns.
CREATE FUNCTION openrcm_refuse_orphans() RETURNS trigger
LANGUAGE plpgsql
SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
DECLARE
  i int := 0;
  keys text[];
  cols text[];
  named_cond text;
  kept_cond text;
  probe text;
  named boolean;
BEGIN
  WHILE i + 2 < TG_NARGS LOOP
    IF TG_OP = 'TRUNCATE' THEN
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', TG_ARGV[i + 1]) INTO named;
    ELSE
      keys := string_to_array(TG_ARGV[i], ',');
      cols := string_to_array(TG_ARGV[i + 2], ',');
      SELECT string_agg(format('c.%I = g.%I', c, k), ' AND '), string_agg(format('t.%I = g.%I', k, k), ' AND ')
        INTO named_cond, kept_cond FROM unnest(keys, cols) AS u(k, c);
      probe := format('SELECT EXISTS (SELECT 1 FROM %%s WHERE EXISTS (SELECT 1 FROM %I c WHERE %s) '
                      'AND NOT EXISTS (SELECT 1 FROM %I t WHERE %s))',
                      TG_ARGV[i + 1], named_cond, TG_TABLE_NAME, kept_cond);
      IF TG_LEVEL = 'STATEMENT' THEN
        EXECUTE format(probe, 'gone g') INTO named;
      ELSE
        EXECUTE format(probe, '(SELECT ($1).*) g') INTO named USING OLD;
      END IF;
    END IF;
    IF named THEN
      RAISE EXCEPTION 'a deleted or re-keyed row of % is still named by %', TG_TABLE_NAME, TG_ARGV[i + 1]
        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = TG_ARGV[i + 1] || '_references';
    END IF;
    i := i + 3;
  END LOOP;
  RETURN NULL;
END;
$$;

-- ------------------------------------------------------------------------------------------
-- claims
ALTER TABLE claims DROP CONSTRAINT claims_payer_id_fkey;
ALTER TABLE claims DROP CONSTRAINT claims_practice_id_billing_provider_id_fkey;
ALTER TABLE claims DROP CONSTRAINT claims_practice_id_coverage_id_fkey;
ALTER TABLE claims DROP CONSTRAINT claims_practice_id_encounter_id_fkey;
ALTER TABLE claims DROP CONSTRAINT claims_practice_id_location_id_fkey;
ALTER TABLE claims DROP CONSTRAINT claims_practice_id_patient_id_fkey;
ALTER TABLE claims DROP CONSTRAINT claims_practice_id_prior_claim_id_fkey;
ALTER TABLE claims DROP CONSTRAINT claims_practice_id_rendering_provider_id_fkey;
CREATE TRIGGER claims_references AFTER INSERT ON claims
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION openrcm_check_references(
    'payer_id', 'payers', 'id',
    'practice_id,billing_provider_id', 'providers', 'practice_id,id',
    'practice_id,rendering_provider_id', 'providers', 'practice_id,id',
    'practice_id,coverage_id', 'coverages', 'practice_id,id',
    'practice_id,encounter_id', 'encounters', 'practice_id,id',
    'practice_id,location_id', 'locations', 'practice_id,id',
    'practice_id,patient_id', 'patients', 'practice_id,id',
    'practice_id,prior_claim_id', 'claims', 'practice_id,id');
CREATE TRIGGER claims_references_update AFTER UPDATE ON claims FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.payer_id IS DISTINCT FROM NEW.payer_id
        OR OLD.billing_provider_id IS DISTINCT FROM NEW.billing_provider_id
        OR OLD.rendering_provider_id IS DISTINCT FROM NEW.rendering_provider_id
        OR OLD.coverage_id IS DISTINCT FROM NEW.coverage_id OR OLD.encounter_id IS DISTINCT FROM NEW.encounter_id
        OR OLD.location_id IS DISTINCT FROM NEW.location_id OR OLD.patient_id IS DISTINCT FROM NEW.patient_id
        OR OLD.prior_claim_id IS DISTINCT FROM NEW.prior_claim_id)
  EXECUTE FUNCTION openrcm_check_references(
    'payer_id', 'payers', 'id',
    'practice_id,billing_provider_id', 'providers', 'practice_id,id',
    'practice_id,rendering_provider_id', 'providers', 'practice_id,id',
    'practice_id,coverage_id', 'coverages', 'practice_id,id',
    'practice_id,encounter_id', 'encounters', 'practice_id,id',
    'practice_id,location_id', 'locations', 'practice_id,id',
    'practice_id,patient_id', 'patients', 'practice_id,id',
    'practice_id,prior_claim_id', 'claims', 'practice_id,id');

-- claim_versions
ALTER TABLE claim_versions DROP CONSTRAINT claim_versions_practice_id_claim_id_fkey;
CREATE TRIGGER claim_versions_references AFTER INSERT ON claim_versions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION openrcm_check_references(
    'practice_id,claim_id', 'claims', 'practice_id,id');
CREATE TRIGGER claim_versions_references_update AFTER UPDATE ON claim_versions FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.claim_id IS DISTINCT FROM NEW.claim_id)
  EXECUTE FUNCTION openrcm_check_references('practice_id,claim_id', 'claims', 'practice_id,id');

-- claim_lines
ALTER TABLE claim_lines DROP CONSTRAINT claim_lines_practice_id_charge_id_fkey;
ALTER TABLE claim_lines DROP CONSTRAINT claim_lines_practice_id_claim_id_fkey;
ALTER TABLE claim_lines DROP CONSTRAINT claim_lines_practice_id_claim_version_id_fkey;
CREATE TRIGGER claim_lines_references AFTER INSERT ON claim_lines
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION openrcm_check_references(
    'practice_id,claim_id', 'claims', 'practice_id,id',
    'practice_id,claim_version_id', 'claim_versions', 'practice_id,id',
    'practice_id,charge_id', 'charges', 'practice_id,id');
CREATE TRIGGER claim_lines_references_update AFTER UPDATE ON claim_lines FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.claim_id IS DISTINCT FROM NEW.claim_id
        OR OLD.claim_version_id IS DISTINCT FROM NEW.claim_version_id OR OLD.charge_id IS DISTINCT FROM NEW.charge_id)
  EXECUTE FUNCTION openrcm_check_references(
    'practice_id,claim_id', 'claims', 'practice_id,id',
    'practice_id,claim_version_id', 'claim_versions', 'practice_id,id',
    'practice_id,charge_id', 'charges', 'practice_id,id');

-- claim_status_history
ALTER TABLE claim_status_history DROP CONSTRAINT claim_status_history_practice_id_claim_id_fkey;
ALTER TABLE claim_status_history DROP CONSTRAINT claim_status_history_practice_id_claim_version_id_fkey;
CREATE TRIGGER claim_status_history_references AFTER INSERT ON claim_status_history
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION openrcm_check_references(
    'practice_id,claim_id', 'claims', 'practice_id,id',
    'practice_id,claim_version_id', 'claim_versions', 'practice_id,id');
CREATE TRIGGER claim_status_history_references_update AFTER UPDATE ON claim_status_history FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.claim_id IS DISTINCT FROM NEW.claim_id
        OR OLD.claim_version_id IS DISTINCT FROM NEW.claim_version_id)
  EXECUTE FUNCTION openrcm_check_references(
    'practice_id,claim_id', 'claims', 'practice_id,id',
    'practice_id,claim_version_id', 'claim_versions', 'practice_id,id');

-- claim_issues (the rule and the resolving user keep their foreign keys: few rows name them)
ALTER TABLE claim_issues DROP CONSTRAINT claim_issues_practice_id_claim_id_fkey;
ALTER TABLE claim_issues DROP CONSTRAINT claim_issues_practice_id_claim_version_id_fkey;
CREATE TRIGGER claim_issues_references AFTER INSERT ON claim_issues
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION openrcm_check_references(
    'practice_id,claim_id', 'claims', 'practice_id,id',
    'practice_id,claim_version_id', 'claim_versions', 'practice_id,id');
CREATE TRIGGER claim_issues_references_update AFTER UPDATE ON claim_issues FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.claim_id IS DISTINCT FROM NEW.claim_id
        OR OLD.claim_version_id IS DISTINCT FROM NEW.claim_version_id)
  EXECUTE FUNCTION openrcm_check_references(
    'practice_id,claim_id', 'claims', 'practice_id,id',
    'practice_id,claim_version_id', 'claim_versions', 'practice_id,id');

-- batch_claims
ALTER TABLE batch_claims DROP CONSTRAINT batch_claims_practice_id_batch_id_fkey;
ALTER TABLE batch_claims DROP CONSTRAINT batch_claims_practice_id_claim_version_id_fkey;
CREATE TRIGGER batch_claims_references AFTER INSERT ON batch_claims
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION openrcm_check_references(
    'practice_id,batch_id', 'submission_batches', 'practice_id,id',
    'practice_id,claim_version_id', 'claim_versions', 'practice_id,id');
CREATE TRIGGER batch_claims_references_update AFTER UPDATE ON batch_claims FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.batch_id IS DISTINCT FROM NEW.batch_id
        OR OLD.claim_version_id IS DISTINCT FROM NEW.claim_version_id)
  EXECUTE FUNCTION openrcm_check_references(
    'practice_id,batch_id', 'submission_batches', 'practice_id,id',
    'practice_id,claim_version_id', 'claim_versions', 'practice_id,id');

-- ------------------------------------------------------------------------------------------
-- The referenced side: DELETE (statement), a change of the key (row, only when it changes), TRUNCATE.
CREATE TRIGGER claims_claim_references AFTER DELETE ON claims
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claims', 'practice_id,prior_claim_id',
    'practice_id,id', 'claim_versions', 'practice_id,claim_id',
    'practice_id,id', 'claim_lines', 'practice_id,claim_id',
    'practice_id,id', 'claim_status_history', 'practice_id,claim_id',
    'practice_id,id', 'claim_issues', 'practice_id,claim_id');
CREATE TRIGGER claims_claim_references_rekey AFTER UPDATE ON claims FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claims', 'practice_id,prior_claim_id',
    'practice_id,id', 'claim_versions', 'practice_id,claim_id',
    'practice_id,id', 'claim_lines', 'practice_id,claim_id',
    'practice_id,id', 'claim_status_history', 'practice_id,claim_id',
    'practice_id,id', 'claim_issues', 'practice_id,claim_id');
CREATE TRIGGER claims_claim_references_truncate AFTER TRUNCATE ON claims
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claim_versions', 'practice_id,claim_id',
    'practice_id,id', 'claim_lines', 'practice_id,claim_id',
    'practice_id,id', 'claim_status_history', 'practice_id,claim_id',
    'practice_id,id', 'claim_issues', 'practice_id,claim_id');

CREATE TRIGGER claim_versions_claim_references AFTER DELETE ON claim_versions
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claim_lines', 'practice_id,claim_version_id',
    'practice_id,id', 'claim_status_history', 'practice_id,claim_version_id',
    'practice_id,id', 'claim_issues', 'practice_id,claim_version_id',
    'practice_id,id', 'batch_claims', 'practice_id,claim_version_id');
CREATE TRIGGER claim_versions_claim_references_rekey AFTER UPDATE ON claim_versions FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claim_lines', 'practice_id,claim_version_id',
    'practice_id,id', 'claim_status_history', 'practice_id,claim_version_id',
    'practice_id,id', 'claim_issues', 'practice_id,claim_version_id',
    'practice_id,id', 'batch_claims', 'practice_id,claim_version_id');
CREATE TRIGGER claim_versions_claim_references_truncate AFTER TRUNCATE ON claim_versions
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claim_lines', 'practice_id,claim_version_id',
    'practice_id,id', 'claim_status_history', 'practice_id,claim_version_id',
    'practice_id,id', 'claim_issues', 'practice_id,claim_version_id',
    'practice_id,id', 'batch_claims', 'practice_id,claim_version_id');

CREATE TRIGGER submission_batches_claim_references AFTER DELETE ON submission_batches
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'batch_claims', 'practice_id,batch_id');
CREATE TRIGGER submission_batches_claim_references_rekey AFTER UPDATE ON submission_batches FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'batch_claims', 'practice_id,batch_id');
CREATE TRIGGER submission_batches_claim_references_truncate AFTER TRUNCATE ON submission_batches
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'batch_claims', 'practice_id,batch_id');

CREATE TRIGGER charges_claim_references AFTER DELETE ON charges
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claim_lines', 'practice_id,charge_id');
CREATE TRIGGER charges_claim_references_rekey AFTER UPDATE ON charges FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claim_lines', 'practice_id,charge_id');
CREATE TRIGGER charges_claim_references_truncate AFTER TRUNCATE ON charges
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claim_lines', 'practice_id,charge_id');

CREATE TRIGGER encounters_claim_references AFTER DELETE ON encounters
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claims', 'practice_id,encounter_id');
CREATE TRIGGER encounters_claim_references_rekey AFTER UPDATE ON encounters FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claims', 'practice_id,encounter_id');
CREATE TRIGGER encounters_claim_references_truncate AFTER TRUNCATE ON encounters
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claims', 'practice_id,encounter_id');

CREATE TRIGGER patients_claim_references AFTER DELETE ON patients
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claims', 'practice_id,patient_id');
CREATE TRIGGER patients_claim_references_rekey AFTER UPDATE ON patients FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claims', 'practice_id,patient_id');
CREATE TRIGGER patients_claim_references_truncate AFTER TRUNCATE ON patients
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claims', 'practice_id,patient_id');

CREATE TRIGGER coverages_claim_references AFTER DELETE ON coverages
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claims', 'practice_id,coverage_id');
CREATE TRIGGER coverages_claim_references_rekey AFTER UPDATE ON coverages FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claims', 'practice_id,coverage_id');
CREATE TRIGGER coverages_claim_references_truncate AFTER TRUNCATE ON coverages
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claims', 'practice_id,coverage_id');

CREATE TRIGGER providers_claim_references AFTER DELETE ON providers
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claims', 'practice_id,billing_provider_id',
    'practice_id,id', 'claims', 'practice_id,rendering_provider_id');
CREATE TRIGGER providers_claim_references_rekey AFTER UPDATE ON providers FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claims', 'practice_id,billing_provider_id',
    'practice_id,id', 'claims', 'practice_id,rendering_provider_id');
CREATE TRIGGER providers_claim_references_truncate AFTER TRUNCATE ON providers
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claims', 'practice_id,billing_provider_id');

CREATE TRIGGER locations_claim_references AFTER DELETE ON locations
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'practice_id,id', 'claims', 'practice_id,location_id');
CREATE TRIGGER locations_claim_references_rekey AFTER UPDATE ON locations FOR EACH ROW
  WHEN (OLD.practice_id IS DISTINCT FROM NEW.practice_id OR OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claims', 'practice_id,location_id');
CREATE TRIGGER locations_claim_references_truncate AFTER TRUNCATE ON locations
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('practice_id,id', 'claims', 'practice_id,location_id');

CREATE TRIGGER payers_claim_references AFTER DELETE ON payers
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans(
    'id', 'claims', 'payer_id');
CREATE TRIGGER payers_claim_references_rekey AFTER UPDATE ON payers FOR EACH ROW
  WHEN (OLD.id IS DISTINCT FROM NEW.id)
  EXECUTE FUNCTION openrcm_refuse_orphans('id', 'claims', 'payer_id');
CREATE TRIGGER payers_claim_references_truncate AFTER TRUNCATE ON payers
  FOR EACH STATEMENT EXECUTE FUNCTION openrcm_refuse_orphans('id', 'claims', 'payer_id');
