-- DREES APL: the 62 and 60-and-under variants published since 2023, and the vintage of the populations the
-- APL was computed with (the APL year minus two). Kept in step with ../postgres/0009_apl_variants.sql.

ALTER TABLE apl_drees ADD COLUMN apl_under_62 REAL;
ALTER TABLE apl_drees ADD COLUMN apl_under_60 REAL;
ALTER TABLE apl_drees ADD COLUMN population_vintage BIGINT;
