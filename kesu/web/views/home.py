from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kesu.supervision.selectors.reminders import supervision_reminders_cached

from ..queues import queues_and_counts
from ..rows import QueueRows
from ..templatetags.kesu_web import remember_unread_notifications


@login_required
def workbench(request):
    # one query counts every queue and the top bar's unread notifications
    queues, unread = queues_and_counts(request.user, unread=True)
    remember_unread_notifications(request, unread)
    rows = QueueRows()
    for q in queues:
        q.rows_html = rows.html(q)
    # Issue 5 item 9 (S4): pending supervision work next to the case queues,
    # reused for a minute unless a supervision write made it stale
    reminders = supervision_reminders_cached(request.user)
    reminder_count = sum(r.count for r in reminders)
    return render(
        request,
        "web/workbench.html",
        {
            "queues": queues,
            "reminders": reminders,
            "reminder_count": reminder_count,
            "reminders_overdue": any(r.overdue for r in reminders),
            "total": sum(q.count for q in queues) + reminder_count,
        },
    )
