from django.contrib.auth import views as auth_views
from django.urls import path

from tremplin.accounts import two_factor_views
from tremplin.accounts.forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "connexion/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change.html", success_url="/"),
        name="password_change",
    ),
    path("double-authentification/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("code/", two_factor_views.two_factor_verify, name="two_factor_verify"),
]
