import pytest

from routes.errors import InvalidCoordinateError, RoutesError, UnknownAirportError
from routes.inputs.airports import Airport, LatLon, get_airport, search_airports


def test_iata_and_icao_resolve_to_the_same_record():
    svo = get_airport("SVO")
    assert svo == get_airport("uuee") == get_airport(" svo ")
    assert (svo.icao, svo.country, svo.city) == ("UUEE", "RU", "Moscow")
    assert svo.lat == pytest.approx(55.9726, abs=1e-4)
    assert svo.lon == pytest.approx(37.4146, abs=1e-4)
    assert svo.elevation_ft == 622.0


def test_airport_is_frozen():
    with pytest.raises(AttributeError):
        get_airport("LAX").lat = 0.0


def test_raw_latlon_text_is_latitude_first():
    ap = get_airport("47.45, -122.31")
    assert (ap.lat, ap.lon) == (47.45, -122.31)
    assert ap.code == "47.4500,-122.3100"
    assert get_airport(LatLon(10.0, 20.0)).lon == 20.0


def test_airport_passes_through():
    ap = get_airport("SEA")
    assert get_airport(ap) is ap
    assert isinstance(ap, Airport)


def test_unknown_code_suggests_close_matches():
    with pytest.raises(UnknownAirportError) as info:
        get_airport("SV0")
    assert "SVO" in info.value.suggestions
    assert "did you mean" in str(info.value)
    assert isinstance(info.value, RoutesError)


@pytest.mark.parametrize("text", ["91,0", "0,181", "-90.5,10"])
def test_out_of_range_coordinates_raise(text):
    with pytest.raises(InvalidCoordinateError, match="latitude must be in"):
        get_airport(text)


def test_latlon_validates():
    with pytest.raises(InvalidCoordinateError):
        LatLon(100.0, 0.0)


def test_search_puts_exact_code_first():
    hits = search_airports("lax")
    assert hits[0].iata == "LAX"
    assert all("heathrow" in h.name.lower() or "heathrow" in h.city.lower() for h in search_airports("heathrow"))
