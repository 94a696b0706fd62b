from tests.pages.timeline_text import page_text
def test_dump(client, scenario):
    print("\n=====", page_text(client, "/timeline/", as_of="2025-07-05"))
    print("\n=====", page_text(client, "/timeline/", status=400, as_of="2025-13-40"))
