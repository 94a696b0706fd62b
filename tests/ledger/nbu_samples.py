"""Small NBU exports written for the tests, in the shapes the NBU publishes: the API's
JSON (one object per rate, spread over lines) and the rate archive's CSV. Both carry the
same two hryvnia-per-euro rates and one bad line each."""

from pathlib import Path

from django.core.management import call_command

# NBU rates in the samples: hryvnias per euro on 6 January and 3 February 2025.
UAH_PER_EUR = {"2025-01-06": "43.6512", "2025-02-03": "44.1"}

JSON_SAMPLE = """[
{
"r030":978,"txt":"Euro","rate":43.6512,"cc":"EUR","exchangedate":"06.01.2025"
 }
,{
"r030":840,"txt":"US dollar","rate":41.9,"cc":"USD","exchangedate":"06.01.2025"
 }
,{
"r030":978,"txt":"Euro","rate":"n/a","cc":"EUR","exchangedate":"07.01.2025"
 }
,{
"r030":978,"txt":"Euro","rate":44.1,"cc":"EUR","exchangedate":"03.02.2025"
 }
]
"""
JSON_BAD_LINE = (8, "rate 'n/a' is not a number")

CSV_SAMPLE = """exchangedate,r030,cc,txt,enname,rate,units,rate_per_unit,group,calcdate
06.01.2025,978,EUR,Euro,Euro,43.6512,1,43.6512,1,03.01.2025
06.01.2025,392,JPY,Yen,Yen,2.6617,10,0.26617,1,03.01.2025
31.02.2025,978,EUR,Euro,Euro,44.0000,1,44.0000,1,28.02.2025
03.02.2025,978,EUR,Euro,Euro,44.1000,1,44.1000,1,31.01.2025
"""
CSV_BAD_LINE = (4, "exchangedate '31.02.2025' is not a date as dd.mm.yyyy")


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def load_nbu(path: Path, **streams: object) -> None:
    call_command("load_fx_rates", "--source", "nbu", "--file", str(path), **streams)
