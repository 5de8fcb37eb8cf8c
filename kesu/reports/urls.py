from django.urls import path

from .views import assessment, figures, home, jobs, regulator, report, typical

app_name = "reports"

urlpatterns = [
    path("", home.index, name="index"),
    path("complaints/", report.complaint_report_page, name="complaint_report"),
    path("figures/recount/", figures.figures_recount, name="figures_recount"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/new/", jobs.job_create, name="job_create"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", jobs.job_download, name="job_download"),
    path("scorecards/", assessment.scorecards_page, name="scorecards"),
    path("scorecards/snapshot/", assessment.snapshot_take, name="snapshot_take"),
    path("weights/", assessment.weights_page, name="weights"),
    path("regulator/", regulator.regulator_page, name="regulator"),
    path("regulator/figures/", regulator.figures_enter, name="figures_enter"),
    path("cases/", typical.case_list, name="case_list"),
    path("cases/nominate/", typical.case_nominate, name="case_nominate"),
    path("cases/<int:pk>/", typical.case_detail, name="case_detail"),
    path("cases/<int:pk>/decide/", typical.case_decide, name="case_decide"),
]
