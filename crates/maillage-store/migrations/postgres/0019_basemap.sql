-- The background map: streets by class, water, railways, parks and named places read from the OpenStreetMap
-- extract of the territory (or drawn by the demonstration), kept so that map tiles are drawn without reading
-- the extract again. A feature's box lets a tile read only what it crosses. No personal data: every account
-- reads them, like the streets on any printed map. Kept in step with ../sqlite/0019_basemap.sql.

CREATE TABLE basemap_feature (
    id BIGINT PRIMARY KEY,
    -- A code of `maillage_kit::basemap::MapLayer` (rue, riviere, parc, ville...).
    layer TEXT NOT NULL,
    name TEXT,
    min_lon DOUBLE PRECISION NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    -- "lon lat;lon lat;..." in degrees, 7 decimals as in OpenStreetMap.
    points TEXT NOT NULL
);
CREATE INDEX basemap_feature_box ON basemap_feature (layer, min_lon, max_lon, min_lat, max_lat);
