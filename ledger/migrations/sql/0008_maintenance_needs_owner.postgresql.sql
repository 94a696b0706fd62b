-- The maintenance switch of 0003 is honoured only for the ledger tables' owner (or a
-- member of the owning role; a superuser is a member of every role). The app connects
-- as a role that owns nothing (manage.py setup_database_roles), so setting the switch
-- in the app's session gives it no way to empty the append-only tables, even if it were
-- ever granted TRUNCATE. current_user is the role whose privileges the statement uses.
CREATE OR REPLACE FUNCTION ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('aidledger.maintenance', true) = 'on' THEN
        IF pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '% is append-only: TRUNCATE refused; aidledger.maintenance is honoured for the table''s owner only, not %',
            TG_TABLE_NAME, current_user
            USING ERRCODE = 'restrict_violation';
    END IF;
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;
