-- Ledger invariants that no client may break, SQLite version.
-- SQLite triggers cannot rewrite a row, so transaction times are checked to be "now"
-- (within a minute) instead of being set; RAISE(ABORT) reports a constraint error.

CREATE TRIGGER ledger_entry_refuse_update BEFORE UPDATE ON ledger_ledgerentry
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only: UPDATE refused; record a reversing entry instead');
END;

CREATE TRIGGER ledger_entry_refuse_delete BEFORE DELETE ON ledger_ledgerentry
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only: DELETE refused; record a reversing entry instead');
END;

CREATE TRIGGER ledger_entry_recorded_now BEFORE INSERT ON ledger_ledgerentry
WHEN NEW.recorded_at IS NULL OR abs(julianday(NEW.recorded_at) - julianday('now')) * 86400 > 60
BEGIN
    SELECT RAISE(ABORT, 'recorded_at is set by the server and cannot be supplied');
END;

CREATE TRIGGER ledger_entry_reversal_rules BEFORE INSERT ON ledger_ledgerentry
WHEN NEW.reverses_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a reversal cannot be reversed')
    WHERE EXISTS (SELECT 1 FROM ledger_ledgerentry o
                  WHERE o.id = NEW.reverses_id AND o.reverses_id IS NOT NULL);
    SELECT RAISE(ABORT, 'a reversal must mirror the entry it reverses (commitment, stage, amount, currency, value date)')
    WHERE NOT EXISTS (SELECT 1 FROM ledger_ledgerentry o
                      WHERE o.id = NEW.reverses_id
                        AND o.commitment_id = NEW.commitment_id
                        AND o.stage = NEW.stage
                        AND CAST(o.amount AS REAL) = CAST(NEW.amount AS REAL)
                        AND o.currency = NEW.currency
                        AND o.value_date = NEW.value_date);
END;

CREATE TRIGGER ledger_pause_refuse_delete BEFORE DELETE ON ledger_pause
BEGIN
    SELECT RAISE(ABORT, 'pauses are never deleted');
END;

CREATE TRIGGER ledger_pause_recorded_now BEFORE INSERT ON ledger_pause
WHEN NEW.recorded_at IS NULL OR abs(julianday(NEW.recorded_at) - julianday('now')) * 86400 > 60
  OR (NEW.resumption_recorded_at IS NOT NULL
      AND abs(julianday(NEW.resumption_recorded_at) - julianday('now')) * 86400 > 60)
BEGIN
    SELECT RAISE(ABORT, 'recorded_at is set by the server and cannot be supplied');
END;

CREATE TRIGGER ledger_pause_facts_fixed BEFORE UPDATE ON ledger_pause
WHEN NEW.donor_id IS NOT OLD.donor_id
  OR NEW.commitment_id IS NOT OLD.commitment_id
  OR NEW.category IS NOT OLD.category
  OR NEW.paused_on IS NOT OLD.paused_on
  OR NEW.source_id IS NOT OLD.source_id
  OR NEW.recorded_at IS NOT OLD.recorded_at
  OR NEW.idempotency_key IS NOT OLD.idempotency_key
BEGIN
    SELECT RAISE(ABORT, 'the scope, start and source of a recorded pause cannot change');
END;

CREATE TRIGGER ledger_pause_resumption_fixed BEFORE UPDATE ON ledger_pause
WHEN OLD.resumed_on IS NOT NULL
 AND (NEW.resumed_on IS NOT OLD.resumed_on
      OR NEW.resumption_source_id IS NOT OLD.resumption_source_id
      OR NEW.resumption_recorded_at IS NOT OLD.resumption_recorded_at)
BEGIN
    SELECT RAISE(ABORT, 'a recorded resumption cannot change');
END;

CREATE TRIGGER ledger_pause_resumption_now BEFORE UPDATE ON ledger_pause
WHEN OLD.resumed_on IS NULL AND NEW.resumed_on IS NOT NULL
 AND (NEW.resumption_recorded_at IS NULL
      OR abs(julianday(NEW.resumption_recorded_at) - julianday('now')) * 86400 > 60)
BEGIN
    SELECT RAISE(ABORT, 'resumption_recorded_at is set by the server and cannot be supplied');
END;

CREATE TRIGGER ledger_mandate_refuse_delete BEFORE DELETE ON ledger_mandate
BEGIN
    SELECT RAISE(ABORT, 'mandates are never deleted');
END;

CREATE TRIGGER ledger_mandate_recorded_now BEFORE INSERT ON ledger_mandate
WHEN NEW.recorded_at IS NULL OR abs(julianday(NEW.recorded_at) - julianday('now')) * 86400 > 60
BEGIN
    SELECT RAISE(ABORT, 'recorded_at is set by the server and cannot be supplied');
END;

CREATE TRIGGER ledger_mandate_facts_fixed BEFORE UPDATE ON ledger_mandate
WHEN NEW.body_id IS NOT OLD.body_id
  OR NEW.responsibility_id IS NOT OLD.responsibility_id
  OR NEW.starts_on IS NOT OLD.starts_on
  OR NEW.source_id IS NOT OLD.source_id
  OR NEW.recorded_at IS NOT OLD.recorded_at
  OR NEW.idempotency_key IS NOT OLD.idempotency_key
  OR (OLD.predecessor_id IS NOT NULL AND NEW.predecessor_id IS NOT OLD.predecessor_id)
  OR (OLD.ends_on IS NOT NULL AND (NEW.ends_on IS NOT OLD.ends_on
                                   OR NEW.end_source_id IS NOT OLD.end_source_id))
BEGIN
    SELECT RAISE(ABORT, 'the body, responsibility, start, end and source of a recorded mandate cannot change');
END;

CREATE TRIGGER ledger_mandate_no_overlap_insert BEFORE INSERT ON ledger_mandate
BEGIN
    SELECT RAISE(ABORT, 'mandates of one responsibility must not overlap')
    WHERE EXISTS (SELECT 1 FROM ledger_mandate m
                  WHERE m.responsibility_id = NEW.responsibility_id
                    AND (m.ends_on IS NULL OR m.ends_on > NEW.starts_on)
                    AND (NEW.ends_on IS NULL OR NEW.ends_on > m.starts_on));
END;

CREATE TRIGGER ledger_mandate_no_overlap_update BEFORE UPDATE OF starts_on, ends_on, responsibility_id ON ledger_mandate
BEGIN
    SELECT RAISE(ABORT, 'mandates of one responsibility must not overlap')
    WHERE EXISTS (SELECT 1 FROM ledger_mandate m
                  WHERE m.id <> NEW.id
                    AND m.responsibility_id = NEW.responsibility_id
                    AND (m.ends_on IS NULL OR m.ends_on > NEW.starts_on)
                    AND (NEW.ends_on IS NULL OR NEW.ends_on > m.starts_on));
END;

CREATE TRIGGER ledger_mandate_succession BEFORE INSERT ON ledger_mandate
WHEN NEW.predecessor_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a successor takes over the same responsibility after its predecessor ended')
    WHERE NOT EXISTS (SELECT 1 FROM ledger_mandate p
                      WHERE p.id = NEW.predecessor_id
                        AND p.responsibility_id = NEW.responsibility_id
                        AND p.ends_on IS NOT NULL AND p.ends_on <= NEW.starts_on);
END;

CREATE TRIGGER ledger_mandate_succession_update BEFORE UPDATE OF predecessor_id ON ledger_mandate
WHEN NEW.predecessor_id IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a successor takes over the same responsibility after its predecessor ended')
    WHERE NOT EXISTS (SELECT 1 FROM ledger_mandate p
                      WHERE p.id = NEW.predecessor_id
                        AND p.responsibility_id = NEW.responsibility_id
                        AND p.ends_on IS NOT NULL AND p.ends_on <= NEW.starts_on);
END;

CREATE TRIGGER ledger_organization_name_free_insert BEFORE INSERT ON ledger_organization
BEGIN
    SELECT RAISE(ABORT, 'this name is already an alias of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organizationalias WHERE lower(alias) = lower(NEW.name));
END;

CREATE TRIGGER ledger_organization_name_free_update BEFORE UPDATE OF name ON ledger_organization
BEGIN
    SELECT RAISE(ABORT, 'this name is already an alias of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organizationalias WHERE lower(alias) = lower(NEW.name));
END;

CREATE TRIGGER ledger_organization_alias_free_insert BEFORE INSERT ON ledger_organizationalias
BEGIN
    SELECT RAISE(ABORT, 'this alias is already the name of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organization WHERE lower(name) = lower(NEW.alias));
END;

CREATE TRIGGER ledger_organization_alias_free_update BEFORE UPDATE OF alias ON ledger_organizationalias
BEGIN
    SELECT RAISE(ABORT, 'this alias is already the name of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organization WHERE lower(name) = lower(NEW.alias));
END;
