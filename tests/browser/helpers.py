"""Steps shared by the browser journeys."""


def log_in(page, live_server, email: str, password: str = "pw") -> None:
    """Log in through the login page and wait for the home page."""
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def log_out(page) -> None:
    """Open the person's menu of the header and press « Déconnexion » (at desktop width)."""
    page.locator("header details.account > summary").click()
    page.locator("header form[data-logout] button").click()
