from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("versions/<int:pk>/download/", views.download_version, name="download"),
    path("versions/<int:pk>/preview/", views.preview_version, name="preview"),
    path("versions/<int:older>/compare/<int:newer>/", views.compare_versions, name="compare"),
    path(
        "versions/<int:older>/compare/<int:newer>/changes.docx",
        views.download_redline,
        name="redline",
    ),
    path("records/<int:pk>/download/", views.download_record, name="record"),
    path("letters/<int:pk>/download/", views.download_letter, name="letter"),
    path("reports/portfolio/", views.portfolio_report, name="portfolio_report"),
]
