-- Ledger invariants that no client may break, PostgreSQL version.
-- Errors use SQLSTATE class 23 so drivers report them as integrity errors.

-- Ledger entries are append-only, and their transaction time is the server's.
CREATE FUNCTION ledger_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are append-only: % refused; record a reversing entry instead', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER ledger_entry_append_only
    BEFORE UPDATE OR DELETE ON ledger_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_refuse_change();

CREATE FUNCTION ledger_entry_check_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    original ledger_ledgerentry%ROWTYPE;
BEGIN
    NEW.recorded_at := statement_timestamp();
    IF NEW.reverses_id IS NOT NULL THEN
        SELECT * INTO original FROM ledger_ledgerentry WHERE id = NEW.reverses_id;
        IF original.reverses_id IS NOT NULL THEN
            RAISE EXCEPTION 'a reversal cannot be reversed (entry %)', original.id
                USING ERRCODE = 'check_violation';
        END IF;
        IF original.commitment_id IS DISTINCT FROM NEW.commitment_id
           OR original.stage IS DISTINCT FROM NEW.stage
           OR original.amount IS DISTINCT FROM NEW.amount
           OR original.currency IS DISTINCT FROM NEW.currency
           OR original.value_date IS DISTINCT FROM NEW.value_date THEN
            RAISE EXCEPTION 'a reversal must mirror entry % (commitment, stage, amount, currency, value date)', NEW.reverses_id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_entry_insert_rules
    BEFORE INSERT ON ledger_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_check_insert();

-- Pauses: what was paused, from when and on whose word is fixed once recorded, and so is
-- a resumption; both transaction times are the server's. Pauses are never deleted.
CREATE FUNCTION ledger_pause_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'pauses are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.recorded_at := statement_timestamp();
        IF NEW.resumed_on IS NOT NULL THEN
            NEW.resumption_recorded_at := statement_timestamp();
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.donor_id IS DISTINCT FROM OLD.donor_id
       OR NEW.commitment_id IS DISTINCT FROM OLD.commitment_id
       OR NEW.category IS DISTINCT FROM OLD.category
       OR NEW.paused_on IS DISTINCT FROM OLD.paused_on
       OR NEW.source_id IS DISTINCT FROM OLD.source_id
       OR NEW.recorded_at IS DISTINCT FROM OLD.recorded_at
       OR NEW.idempotency_key IS DISTINCT FROM OLD.idempotency_key THEN
        RAISE EXCEPTION 'the scope, start and source of a recorded pause cannot change'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.resumed_on IS NOT NULL THEN
        IF NEW.resumed_on IS DISTINCT FROM OLD.resumed_on
           OR NEW.resumption_source_id IS DISTINCT FROM OLD.resumption_source_id
           OR NEW.resumption_recorded_at IS DISTINCT FROM OLD.resumption_recorded_at THEN
            RAISE EXCEPTION 'a recorded resumption cannot change' USING ERRCODE = 'restrict_violation';
        END IF;
    ELSIF NEW.resumed_on IS NOT NULL THEN
        NEW.resumption_recorded_at := statement_timestamp();
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_pause_rules
    BEFORE INSERT OR UPDATE OR DELETE ON ledger_pause
    FOR EACH ROW EXECUTE FUNCTION ledger_pause_rules();

-- Mandates: one body at a time per responsibility; a recorded start or end is fixed.
CREATE EXTENSION IF NOT EXISTS btree_gist;

ALTER TABLE ledger_mandate ADD CONSTRAINT mandate_no_overlap
    EXCLUDE USING gist (responsibility_id WITH =, daterange(starts_on, ends_on, '[)') WITH &&);

CREATE FUNCTION ledger_mandate_rules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    previous ledger_mandate%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'mandates are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.recorded_at := statement_timestamp();
    ELSE
        IF NEW.body_id IS DISTINCT FROM OLD.body_id
           OR NEW.responsibility_id IS DISTINCT FROM OLD.responsibility_id
           OR NEW.starts_on IS DISTINCT FROM OLD.starts_on
           OR NEW.source_id IS DISTINCT FROM OLD.source_id
           OR NEW.recorded_at IS DISTINCT FROM OLD.recorded_at
           OR NEW.idempotency_key IS DISTINCT FROM OLD.idempotency_key
           OR (OLD.predecessor_id IS NOT NULL AND NEW.predecessor_id IS DISTINCT FROM OLD.predecessor_id) THEN
            RAISE EXCEPTION 'the body, responsibility, start and source of a recorded mandate cannot change'
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF OLD.ends_on IS NOT NULL AND (NEW.ends_on IS DISTINCT FROM OLD.ends_on
                                        OR NEW.end_source_id IS DISTINCT FROM OLD.end_source_id) THEN
            RAISE EXCEPTION 'a recorded end of mandate cannot change' USING ERRCODE = 'restrict_violation';
        END IF;
    END IF;
    IF NEW.predecessor_id IS NOT NULL THEN
        SELECT * INTO previous FROM ledger_mandate WHERE id = NEW.predecessor_id;
        IF previous.responsibility_id IS DISTINCT FROM NEW.responsibility_id
           OR previous.ends_on IS NULL OR previous.ends_on > NEW.starts_on THEN
            RAISE EXCEPTION 'a successor takes over the same responsibility after its predecessor ended'
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_mandate_rules
    BEFORE INSERT OR UPDATE OR DELETE ON ledger_mandate
    FOR EACH ROW EXECUTE FUNCTION ledger_mandate_rules();

-- A name arriving from outside must match one organization: names and aliases share
-- one case-insensitive namespace (each table's own unique index covers itself).
CREATE FUNCTION ledger_organization_name_free() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'ledger_organization' THEN
        IF EXISTS (SELECT 1 FROM ledger_organizationalias WHERE lower(alias) = lower(NEW.name)) THEN
            RAISE EXCEPTION 'the name "%" is already an alias of an organization', NEW.name
                USING ERRCODE = 'unique_violation';
        END IF;
    ELSIF EXISTS (SELECT 1 FROM ledger_organization WHERE lower(name) = lower(NEW.alias)) THEN
        RAISE EXCEPTION 'the alias "%" is already the name of an organization', NEW.alias
            USING ERRCODE = 'unique_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_organization_name_free
    BEFORE INSERT OR UPDATE OF name ON ledger_organization
    FOR EACH ROW EXECUTE FUNCTION ledger_organization_name_free();

CREATE TRIGGER ledger_organization_alias_free
    BEFORE INSERT OR UPDATE OF alias ON ledger_organizationalias
    FOR EACH ROW EXECUTE FUNCTION ledger_organization_name_free();
