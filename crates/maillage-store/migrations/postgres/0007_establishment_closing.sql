-- FINESS JSON flux: each file is a full snapshot. An establishment it reports inactive (`etatObjet` I) is marked
-- removed like one absent from the file, and keeps the closing date the record gives (`dateFermeture`,
-- YYYY-MM-DD). NULL while in force, or when closed without a date (absent from the file).
ALTER TABLE establishment ADD COLUMN closed_on TEXT;
