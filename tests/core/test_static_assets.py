import re

from django.urls import reverse


def test_pages_are_styled_by_assets_the_app_serves_itself(client):
    """No CDN: every stylesheet and script of the layout is served by the application."""
    page = client.get(reverse("accounts:login")).content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert any("bootstrap" in a and a.endswith(".css") for a in assets)
    assert any("htmx" in a for a in assets)
    assert not re.search(r'(?:href|src)="(?:https?:)?//', page), "no asset may come from another host"
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert b"".join(response.streaming_content if response.streaming else [response.content])
