-- 0008 scrubber configuration as data (issue 5 §3): configured rules carry the text a biller sees, and payers
-- carry the policy settings the built-in rules read.

-- A configured rule = these columns + `condition` (the condition tree, see engine scrubber/conditions.ts).
-- The text columns are nullable so a stored row can be read back even when it no longer validates; the
-- engine reports such a row instead of running it.
ALTER TABLE scrubber_rules ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1);
ALTER TABLE scrubber_rules ADD COLUMN message text;
ALTER TABLE scrubber_rules ADD COLUMN suggested_fix text;
ALTER TABLE scrubber_rules ADD COLUMN documentation text;
-- Claim path the issue points at (a CONDITION_PATHS key); NULL = derived from the condition.
ALTER TABLE scrubber_rules ADD COLUMN field text;
-- 'policy-import' for rows written by `openrcm scrubber policies import`, 'user' for hand-written ones.
ALTER TABLE scrubber_rules ADD COLUMN source text NOT NULL DEFAULT 'user' CHECK (source IN ('user', 'policy-import'));
ALTER TABLE scrubber_rules ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX scrubber_rules_practice_idx ON scrubber_rules (practice_id, payer_id) WHERE enabled;

-- The payer's member id format (payers.jsonl `memberIdPattern`, a regular expression; anchors optional).
ALTER TABLE payers ADD COLUMN member_id_pattern text CHECK (length(member_id_pattern) BETWEEN 1 AND 200);
-- Payer policy settings the built-in rules read, from the payer's published policies:
-- {"priorAuthorizationCodes": ["73721", ...], "timelyFilingDays": 90}. The rest of a payer policy
-- (non-covered, medical necessity, bundling, unit limits, laterality) is stored as scrubber_rules rows.
ALTER TABLE payers ADD COLUMN scrubber_policy jsonb NOT NULL DEFAULT '{}'::jsonb
  CHECK (jsonb_typeof(scrubber_policy) = 'object');
