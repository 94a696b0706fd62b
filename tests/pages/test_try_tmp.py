from tests.pages.conftest import page, text
from tests.pages.detail_world import module_detail_world, world  # noqa: F401


def test_render(client, world):
    for url in [f"/donors/{world.united_states.pk}/", f"/commitments/{world.air_defence.pk}/", f"/donors/{world.united_kingdom.pk}/", f"/commitments/{world.rome.pk}/?currency=USD"]:
        r = client.get(url)
        print(url, r.status_code)
        open(f"/tmp/detail_page_{url.strip('/').replace('/','_').replace('?','_')}.html", "wb").write(r.content)
        assert r.status_code == 200, r.content.decode()[:3000]
