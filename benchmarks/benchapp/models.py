from django.db import models


class BenchRow(models.Model):
    """The one-row insert of the "Django floor" view in bench_diary.py."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE)
    text = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "benchapp"

    def __str__(self) -> str:
        return self.text
