-- SQLite has no TRUNCATE: an unqualified DELETE runs the row triggers of 0002. But
-- INSERT OR REPLACE removes a clashing row without firing DELETE triggers (unless
-- recursive_triggers is on), so a write that would replace a row is refused up front.

CREATE TRIGGER ledger_entry_refuse_replace_id BEFORE INSERT ON ledger_ledgerentry
WHEN EXISTS (SELECT 1 FROM ledger_ledgerentry WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only: ledger_ledgerentry.id is taken');
END;

CREATE TRIGGER ledger_entry_refuse_replace_key BEFORE INSERT ON ledger_ledgerentry
WHEN EXISTS (SELECT 1 FROM ledger_ledgerentry WHERE idempotency_key = NEW.idempotency_key)
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are append-only: ledger_ledgerentry.idempotency_key is taken');
END;

CREATE TRIGGER ledger_entry_refuse_replace_reversal BEFORE INSERT ON ledger_ledgerentry
WHEN NEW.reverses_id IS NOT NULL
 AND EXISTS (SELECT 1 FROM ledger_ledgerentry WHERE reverses_id = NEW.reverses_id)
BEGIN
    SELECT RAISE(ABORT, 'ledger_ledgerentry.reverses_id: the entry is already reversed');
END;

CREATE TRIGGER ledger_pause_refuse_replace BEFORE INSERT ON ledger_pause
WHEN EXISTS (SELECT 1 FROM ledger_pause
             WHERE id = NEW.id OR idempotency_key = NEW.idempotency_key)
BEGIN
    SELECT RAISE(ABORT, 'pauses are never deleted: ledger_pause.id or idempotency_key is taken');
END;

CREATE TRIGGER ledger_mandate_refuse_replace BEFORE INSERT ON ledger_mandate
WHEN EXISTS (SELECT 1 FROM ledger_mandate
             WHERE id = NEW.id OR idempotency_key = NEW.idempotency_key
                OR (NEW.predecessor_id IS NOT NULL AND predecessor_id = NEW.predecessor_id))
BEGIN
    SELECT RAISE(ABORT, 'mandates are never deleted: ledger_mandate.id, idempotency_key or predecessor_id is taken');
END;
