-- Further sources are append-only like the facts they corroborate. INSERT OR REPLACE
-- would remove a clashing row without firing the DELETE trigger, so it is refused too.
CREATE TRIGGER ledger_corroboration_refuse_update BEFORE UPDATE ON ledger_corroboration
BEGIN
    SELECT RAISE(ABORT, 'further sources are append-only: UPDATE refused');
END;

CREATE TRIGGER ledger_corroboration_refuse_delete BEFORE DELETE ON ledger_corroboration
BEGIN
    SELECT RAISE(ABORT, 'further sources are append-only: DELETE refused');
END;

CREATE TRIGGER ledger_corroboration_refuse_replace BEFORE INSERT ON ledger_corroboration
WHEN EXISTS (SELECT 1 FROM ledger_corroboration
             WHERE id = NEW.id OR idempotency_key = NEW.idempotency_key)
BEGIN
    SELECT RAISE(ABORT, 'further sources are append-only: the row is taken');
END;
