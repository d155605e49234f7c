from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestWarrantyReminder(WarrantyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.serial_warranty_responsible_id = cls.stock_user
        cls.lots = cls._receive_numbered(cls.product, 120)
        with freeze_time("2026-01-15 10:00:00"):
            cls._deliver(cls.lots, cls.customer)  # covered until 2028-01-14
        cls.coverages = cls.lots.serial_warranty_ids
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    def _activities(self):
        return self.env["mail.activity"].search(
            [("res_model", "=", "serial.warranty"), ("res_id", "in", self.coverages.ids)]
        )

    def test_not_reminded_too_early(self):
        with freeze_time("2027-12-14 10:00:00"):  # 31 days before the end
            self.env["serial.warranty"]._cron_send_reminders()
        self.assertFalse(self._activities())
        self.assertFalse(any(self.coverages.mapped("reminder_date")))

    def test_reminds_all_units_once(self):
        with freeze_time("2027-12-20 10:00:00"):
            self.env["serial.warranty"]._cron_send_reminders(batch_size=50)
            activities = self._activities()
            self.assertEqual(len(activities), 120)
            self.assertEqual(activities.user_id, self.stock_user)
            self.assertEqual(activities.activity_type_id, self.todo)
            self.assertEqual(
                set(activities.mapped("date_deadline")), set(self.coverages.mapped("date_end"))
            )
            self.assertTrue(all(self.coverages.mapped("reminder_date")))
        with freeze_time("2027-12-21 10:00:00"):
            self.env["serial.warranty"]._cron_send_reminders(batch_size=50)
        self.assertEqual(len(self._activities()), 120, "no second reminder")

    def test_batches_report_progress_to_the_scheduler(self):
        cron = self.env.ref("serial_tracking.ir_cron_serial_warranty_reminder")
        cron, progress = cron._add_progress()
        Warranty = self.env["serial.warranty"].with_context(ir_cron_progress_id=progress.id)
        with freeze_time("2027-12-20 10:00:00"):
            Warranty._cron_send_reminders(batch_size=50)
            self.assertEqual((progress.done, progress.remaining), (50, 70))
            self.assertEqual(len(self._activities()), 50)
            Warranty._cron_send_reminders(batch_size=50)
            Warranty._cron_send_reminders(batch_size=50)
            self.assertEqual(progress.remaining, 0)
        self.assertEqual(len(self._activities()), 120)

    def test_term_responsible_and_email(self):
        term_user = self.stock_user.copy({"login": "term_owner", "name": "Term Owner"})
        self.term_delivery.responsible_user_id = term_user
        self.company.serial_warranty_reminder_email = True
        self.company.serial_warranty_reminder_days = 10
        with freeze_time("2028-01-01 10:00:00"):  # 13 days before the end
            self.env["serial.warranty"]._cron_send_reminders()
            self.assertFalse(self._activities())
        mails_before = self.env["mail.mail"].search_count([("model", "=", "serial.warranty")])
        with freeze_time("2028-01-05 10:00:00"):
            self.env["serial.warranty"]._cron_send_reminders()
        self.assertEqual(self._activities().user_id, term_user)
        mails = self.env["mail.mail"].search([("model", "=", "serial.warranty")])
        self.assertEqual(len(mails) - mails_before, 120)
        self.assertIn(self.customer, mails.recipient_ids)
        self.assertIn("ends on", mails[0].subject)

    def test_disabled_with_zero_days(self):
        self.company.serial_warranty_reminder_days = 0
        with freeze_time("2028-01-10 10:00:00"):
            self.env["serial.warranty"]._cron_send_reminders()
        self.assertFalse(self._activities())

    def test_no_reminder_when_an_extension_follows(self):
        extended = self.lots[:3]
        with freeze_time("2027-06-01 10:00:00"):
            self._sell(
                [(self.extension, 3, {"serial_extended_lot_ids": [Command.set(extended.ids)]})]
            )
        with freeze_time("2027-12-20 10:00:00"):
            self.env["serial.warranty"]._cron_send_reminders()
        reminded = self._activities()
        self.assertEqual(len(reminded), 117)
        self.assertFalse(set(reminded.mapped("res_id")) & set(extended.serial_warranty_ids.ids))
