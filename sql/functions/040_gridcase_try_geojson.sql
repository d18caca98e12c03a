-- GeoJSON that does not parse becomes NULL, so an import can report every bad feature at once.
CREATE OR REPLACE FUNCTION gridcase_try_geojson(doc text) RETURNS geometry
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN ST_SetSRID(ST_GeomFromGeoJSON(doc), 4326);
EXCEPTION WHEN OTHERS THEN
  RETURN NULL;
END;
$$;
