from odoo import fields, models


class SerialCaptureWizard(models.TransientModel):
    _inherit = "serial.capture.wizard"

    def _serial_is_medical(self):
        return self.product_id.serial_register_kind == "medical_device"

    def _gs1_entry_check(self, elements):
        """A full UDI scan of a medical device: the DI must be the product's, the
        production identifiers (lot, dates) go with the serial to the unit."""
        if not self._serial_is_medical():
            return super()._gs1_entry_check(elements)
        product = self.product_id
        problems = []
        di = product._serial_udi_di()
        scanned_di = elements.get("01")
        if not scanned_di:
            problems.append(self.env._("the UDI has no device identifier, AI (01)"))
        elif not di:
            problems.append(
                self.env._(
                    "AI (01) %(di)s: %(product)s has no UDI-DI to compare it with",
                    di=scanned_di,
                    product=product.display_name,
                )
            )
        elif scanned_di != di:
            problems.append(
                self.env._(
                    "AI (01) %(scanned)s: not the UDI-DI of %(product)s (%(di)s)",
                    scanned=scanned_di,
                    product=product.display_name,
                    di=di,
                )
            )
        to_date = self.env["barcode.nomenclature"].gs1_date_to_date
        manufactured = elements.get("11") and to_date(elements["11"])
        expiry = elements.get("17") and to_date(elements["17"])
        if manufactured and manufactured > self.move_id.company_id._serial_today():
            problems.append(self.env._("AI (11) %(value)s is after today", value=elements["11"]))
        if manufactured and expiry and expiry < manufactured:
            problems.append(self.env._("AI (17) is before the manufacturing date, AI (11)"))
        if problems:
            return {}, "; ".join(problems)
        return {
            "serial_udi_lot": elements.get("10") or False,
            "serial_udi_manufactured": manufactured or False,
            "serial_udi_expiry_code": elements.get("17") or False,
        }, None

    def _gs1_unit_check(self, lot, extra_vals):
        """A UDI scanned for an existing unit must carry the unit's own PI: another
        lot or date means another physical device (or a relabelled one)."""
        problem = super()._gs1_unit_check(lot, extra_vals)
        if problem or not extra_vals or not self._serial_is_medical():
            return problem
        # Only what the unit knows can be compared: a unit received by plain serial
        # has no PI yet.
        mismatches = []
        scanned_lot = extra_vals.get("serial_udi_lot")
        if scanned_lot and lot.serial_udi_lot and scanned_lot != lot.serial_udi_lot:
            mismatches.append(
                self.env._(
                    "AI (10) %(scanned)s does not match lot %(lot)s of unit %(serial)s",
                    scanned=scanned_lot,
                    lot=lot.serial_udi_lot,
                    serial=lot.name,
                )
            )
        scanned_mfg = extra_vals.get("serial_udi_manufactured")
        stored_mfg = lot.serial_udi_manufactured
        if scanned_mfg and stored_mfg and scanned_mfg != stored_mfg:
            mismatches.append(
                self.env._(
                    "AI (11) %(scanned)s does not match the manufacturing date of unit %(serial)s",
                    scanned=scanned_mfg.strftime("%y%m%d"),
                    serial=lot.name,
                )
            )
        scanned_exp = extra_vals.get("serial_udi_expiry_code")
        stored_exp = lot.serial_udi_expiry_code
        if scanned_exp and stored_exp and scanned_exp != stored_exp:
            mismatches.append(
                self.env._(
                    "AI (17) %(scanned)s does not match the expiry date of unit %(serial)s",
                    scanned=scanned_exp,
                    serial=lot.name,
                )
            )
        return "; ".join(mismatches) or False

    def _apply_units(self, entries):
        # Deliveries pick existing units: their PI is already on the unit.
        if self._serial_is_medical():
            entries = [(serial, {}) for serial, _extra in entries]
        return super()._apply_units(entries)

    def _done_action(self, serials):
        # Receiving an expired unit is allowed (it may go back to the vendor), but the
        # user should know at once that it cannot be delivered.
        action = super()._done_action(serials)
        if not (self._serial_is_medical() and self._creates_serials()):
            return action
        to_date = self.env["barcode.nomenclature"].gs1_date_to_date
        expiry_datetime = self.env["stock.lot"]._serial_udi_expiry_datetime
        company, now, captured = self.move_id.company_id, fields.Datetime.now(), set(serials)
        expired = [
            ml.lot_name
            for ml in self._captured_lines()
            if ml.lot_name in captured
            and ml.serial_udi_expiry_code
            and expiry_datetime(to_date(ml.serial_udi_expiry_code), company) < now
        ]
        if expired:
            params = action["params"]
            params["type"] = "warning"
            params["message"] += " " + self.env._(
                "Already expired, they cannot be delivered: %(serials)s.",
                serials=", ".join(expired),
            )
        return action
