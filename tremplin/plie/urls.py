from tremplin.plie.import_urls import urlpatterns as import_urlpatterns

app_name = "plie"

urlpatterns = [] + import_urlpatterns
