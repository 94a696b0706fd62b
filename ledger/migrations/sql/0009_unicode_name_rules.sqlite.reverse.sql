-- Back to 0002's rules, which compare with lower() (ASCII letters only).

DROP TRIGGER ledger_organization_alias_unique_update;
DROP TRIGGER ledger_organization_alias_unique_insert;
DROP TRIGGER ledger_organization_name_unique_update;
DROP TRIGGER ledger_organization_name_unique_insert;

DROP TRIGGER ledger_organization_alias_free_update;
DROP TRIGGER ledger_organization_alias_free_insert;
DROP TRIGGER ledger_organization_name_free_update;
DROP TRIGGER ledger_organization_name_free_insert;

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
