-- 0019 Late charges on split encounters. A charge keyed in after its encounter's claims were built is on no claim
-- (claim construction skips encounters that have claims). While the encounter has one claim of a responsibility,
-- claim_charges already gave that claim every active charge, so a corrected claim or a resubmission bills it. A
-- split encounter's claims each bill only their own part, so a late charge went to none of them and could not be
-- billed. Now exactly one of them takes it:
--   * among the encounter's claims of that responsibility that are not voided: for a payer that requires one
--     rendering provider per claim, those of the charge's rendering provider (its own, else the encounter's); for
--     any other payer, all of them (their claims were split by the 50-line limit only, and the line names its own
--     provider in 2420A when it is not the claim's);
--   * of those, the one with the fewest lines on its latest version (room under the 837P's 50 lines), then the
--     lowest id. When even that one is full, rebuilding it is refused (claims.too_many_lines) and
--     `openrcm claims unbilled` says so.
-- A payer that requires one rendering provider per claim, with no claim of the charge's provider, gets none: the
-- charge stays on `openrcm claims unbilled` without a remedy.
CREATE OR REPLACE FUNCTION claim_charges(p_practice_id bigint, p_claim_id bigint) RETURNS SETOF charges
LANGUAGE sql STABLE AS $$
  SELECT ch.*
    FROM claims c
    JOIN charges ch ON ch.practice_id = c.practice_id AND ch.encounter_id = c.encounter_id AND ch.status = 'active'
   WHERE c.practice_id = p_practice_id AND c.id = p_claim_id
     AND (NOT EXISTS (SELECT 1 FROM claims o WHERE o.practice_id = c.practice_id AND o.encounter_id = c.encounter_id
                         AND o.responsibility = c.responsibility AND o.id <> c.id)
          OR ch.id IN (SELECT l.charge_id FROM claim_lines l WHERE l.practice_id = c.practice_id AND l.claim_id = c.id)
          -- A late charge: on no version of any claim of the encounter and responsibility, and this claim takes it.
          OR (NOT EXISTS (SELECT 1 FROM claims o
                            JOIN claim_lines l ON l.practice_id = o.practice_id AND l.claim_id = o.id
                           WHERE o.practice_id = c.practice_id AND o.encounter_id = c.encounter_id
                             AND o.responsibility = c.responsibility AND l.charge_id = ch.id)
              AND c.id = (
                SELECT o.id
                  FROM claims o
                  JOIN encounters e ON e.practice_id = o.practice_id AND e.id = o.encounter_id
                  JOIN payers y ON y.id = o.payer_id
                 WHERE o.practice_id = c.practice_id AND o.encounter_id = c.encounter_id
                   AND o.responsibility = c.responsibility AND o.status <> 'voided'
                   AND (o.rendering_provider_id = coalesce(ch.rendering_provider_id, e.rendering_provider_id)
                        OR NOT y.claim_per_rendering_provider)
                 ORDER BY (SELECT count(*) FROM claim_lines l
                            WHERE l.practice_id = o.practice_id AND l.claim_id = o.id
                              AND l.claim_version_id = (SELECT v.id FROM claim_versions v
                                                         WHERE v.practice_id = o.practice_id AND v.claim_id = o.id
                                                         ORDER BY v.version_no DESC LIMIT 1)),
                          o.id
                 LIMIT 1)))
$$;
