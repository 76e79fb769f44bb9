-- 0007 ERA posting (issue 6): what the posting of an 835 needs beyond 0004.

-- Per-remittance posting figures (DOMAIN metrics): the auto-posting rate is lines posted with no human
-- touch ÷ all ERA service lines; the posting lag is posted_at − received_at.
ALTER TABLE remittances ADD COLUMN st_control_number text;
ALTER TABLE remittances ADD COLUMN claims_total integer NOT NULL DEFAULT 0 CHECK (claims_total >= 0);
ALTER TABLE remittances ADD COLUMN claims_exception integer NOT NULL DEFAULT 0 CHECK (claims_exception >= 0);
ALTER TABLE remittances ADD COLUMN lines_total integer NOT NULL DEFAULT 0 CHECK (lines_total >= 0);
ALTER TABLE remittances ADD COLUMN lines_auto_posted integer NOT NULL DEFAULT 0
  CHECK (lines_auto_posted >= 0 AND lines_auto_posted <= lines_total);

-- A reversal (CLP02 = 22) names the claim payment it undoes; each payment is reversed at most once.
ALTER TABLE claim_payments ADD COLUMN reverses_claim_payment_id bigint;
ALTER TABLE claim_payments ADD CONSTRAINT claim_payments_reverses_fkey
  FOREIGN KEY (practice_id, reverses_claim_payment_id) REFERENCES claim_payments (practice_id, id);
CREATE UNIQUE INDEX claim_payments_reverses_idx ON claim_payments (practice_id, reverses_claim_payment_id)
  WHERE reverses_claim_payment_id IS NOT NULL;

-- How an SVC line was matched to our claim line, and how sure the match is (1 = REF*6R).
ALTER TABLE line_payments ADD COLUMN match_method text CHECK (match_method IN (
  'line_control_number', 'procedure_date_charge', 'modifier_changed', 'original_procedure', 'ndc', 'unmatched'));
ALTER TABLE line_payments ADD COLUMN match_confidence real CHECK (match_confidence BETWEEN 0 AND 1);

-- Crossover (835 CLP02 = 19/20/21 with NM1*TT): the payer forwarded the claim to the next payer itself,
-- so OpenRCM must not bill that secondary again.
ALTER TABLE claims ADD COLUMN crossed_over_to text;
ALTER TABLE claims ADD COLUMN crossed_over_at timestamptz;
