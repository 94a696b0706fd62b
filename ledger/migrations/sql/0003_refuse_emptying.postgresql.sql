-- TRUNCATE fires no row trigger, so the append-only tables refuse it per statement.
-- A session that declares maintenance (SET aidledger.maintenance = 'on') may empty
-- them: the test suite resets its database that way. Row-level UPDATE and DELETE of
-- ledger entries have no such switch. (PostgreSQL has no INSERT OR REPLACE; its
-- INSERT ... ON CONFLICT DO UPDATE fires the UPDATE triggers of 0002.)
CREATE FUNCTION ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('aidledger.maintenance', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_ledgerentry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
CREATE TRIGGER ledger_pause_no_truncate BEFORE TRUNCATE ON ledger_pause
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
CREATE TRIGGER ledger_mandate_no_truncate BEFORE TRUNCATE ON ledger_mandate
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
