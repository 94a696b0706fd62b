-- Further sources are append-only like the facts they corroborate: a source once added
-- to a fact stays. TRUNCATE is refused by the statement trigger of 0003/0008 (the owner
-- may still empty the table in a session that declares maintenance).
CREATE FUNCTION ledger_corroboration_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'further sources are append-only: % refused', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER ledger_corroboration_append_only
    BEFORE UPDATE OR DELETE ON ledger_corroboration
    FOR EACH ROW EXECUTE FUNCTION ledger_corroboration_refuse_change();

CREATE TRIGGER ledger_corroboration_no_truncate BEFORE TRUNCATE ON ledger_corroboration
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
