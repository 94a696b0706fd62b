-- Names and aliases are one namespace, compared with casefold() (Python's str.casefold,
-- which every connection registers: ledger/case_folding.py), not lower(), which folds
-- ASCII letters only. The unique indexes on lower(name) and lower(alias) stay for ASCII;
-- the *_unique_* triggers catch names differing in the case of other letters
-- ('Україна', 'УКРАЇНА') and carry the indexes' names in their messages.

DROP TRIGGER IF EXISTS ledger_organization_name_free_insert;
DROP TRIGGER IF EXISTS ledger_organization_name_free_update;
DROP TRIGGER IF EXISTS ledger_organization_alias_free_insert;
DROP TRIGGER IF EXISTS ledger_organization_alias_free_update;

CREATE TRIGGER ledger_organization_name_free_insert BEFORE INSERT ON ledger_organization
BEGIN
    SELECT RAISE(ABORT, 'this name is already an alias of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organizationalias WHERE casefold(alias) = casefold(NEW.name));
END;

CREATE TRIGGER ledger_organization_name_free_update BEFORE UPDATE OF name ON ledger_organization
BEGIN
    SELECT RAISE(ABORT, 'this name is already an alias of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organizationalias WHERE casefold(alias) = casefold(NEW.name));
END;

CREATE TRIGGER ledger_organization_alias_free_insert BEFORE INSERT ON ledger_organizationalias
BEGIN
    SELECT RAISE(ABORT, 'this alias is already the name of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organization WHERE casefold(name) = casefold(NEW.alias));
END;

CREATE TRIGGER ledger_organization_alias_free_update BEFORE UPDATE OF alias ON ledger_organizationalias
BEGIN
    SELECT RAISE(ABORT, 'this alias is already the name of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organization WHERE casefold(name) = casefold(NEW.alias));
END;

CREATE TRIGGER ledger_organization_name_unique_insert BEFORE INSERT ON ledger_organization
BEGIN
    SELECT RAISE(ABORT, 'organization_name_ci_unique: this name is already the name of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organization WHERE casefold(name) = casefold(NEW.name));
END;

CREATE TRIGGER ledger_organization_name_unique_update BEFORE UPDATE OF name ON ledger_organization
BEGIN
    SELECT RAISE(ABORT, 'organization_name_ci_unique: this name is already the name of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organization
                  WHERE id <> NEW.id AND casefold(name) = casefold(NEW.name));
END;

CREATE TRIGGER ledger_organization_alias_unique_insert BEFORE INSERT ON ledger_organizationalias
BEGIN
    SELECT RAISE(ABORT, 'organization_alias_ci_unique: this alias is already an alias of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organizationalias WHERE casefold(alias) = casefold(NEW.alias));
END;

CREATE TRIGGER ledger_organization_alias_unique_update BEFORE UPDATE OF alias ON ledger_organizationalias
BEGIN
    SELECT RAISE(ABORT, 'organization_alias_ci_unique: this alias is already an alias of an organization')
    WHERE EXISTS (SELECT 1 FROM ledger_organizationalias
                  WHERE id <> NEW.id AND casefold(alias) = casefold(NEW.alias));
END;
