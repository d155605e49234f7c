from odoo import api, fields, models
from odoo.exceptions import UserError

from .medical_entry import END_USER_KEY, OFFICER

# Locations of the company's own stock: moves between them write nothing in the book.
OWN_USAGES = ("internal", "transit")


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    # The production identifiers of a scanned UDI, carried to the unit created on
    # validation.
    serial_udi_lot = fields.Char(string="UDI Lot", size=20)
    serial_udi_manufactured = fields.Date(string="Manufacturing Date")
    serial_udi_expiry_code = fields.Char(string="UDI Expiry (AI 17)", size=6)

    @api.constrains("serial_udi_lot", "serial_udi_expiry_code")
    def _check_serial_udi_pi(self):
        # Validation turns these into the unit's data: refuse them while they are typed.
        for ml in self.filtered(lambda ml: ml.serial_udi_lot or ml.serial_udi_expiry_code):
            self.env["stock.lot"]._serial_raise_udi_pi_problem(
                ml.lot_name or ml.lot_id.name, ml.serial_udi_lot, ml.serial_udi_expiry_code
            )

    # Adding or editing a line of a done move moves its unit at once, without any
    # validation: no expired unit that way either.
    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.filtered(lambda ml: ml.state == "done")._serial_check_not_expired()
        return lines

    def write(self, vals):
        if not {"lot_id", "location_dest_id", "quantity"} & set(vals):
            return super().write(vals)
        done = self.filtered(lambda ml: ml.state == "done")
        before = {ml: (ml.lot_id, ml.location_dest_id, ml.quantity) for ml in done}
        res = super().write(vals)
        # Only what moves a unit out again: undoing a delivery stays possible.
        done.filtered(
            lambda ml: (
                ml.quantity
                and (
                    ml.lot_id != before[ml][0]
                    or ml.location_dest_id != before[ml][1]
                    or ml.quantity > before[ml][2]
                )
            )
        )._serial_check_not_expired()
        return res

    def _serial_after_done(self):
        res = super()._serial_after_done()
        self._serial_register_write()
        return res

    # ------------------------------------------------------------------
    # Book entries of done lines
    # ------------------------------------------------------------------

    def _serial_register_write(self):
        """Append the book lines of the done lines of ``self``: one pass, one insert."""
        lines = self.filtered(
            lambda ml: ml.product_id.serial_register_kind in self._serial_register_kinds()
        )
        if not lines:
            return self.env["serial.register.entry"]
        vals_list = []
        snapshots = {}
        for ml in lines:
            for entry_type, event in ml._serial_register_events():
                vals_list.append(ml._serial_register_entry_values(entry_type, event, snapshots))
        entries = self.env["serial.register.entry"].sudo()._append(vals_list)
        entries._serial_register_after_append()
        return entries

    @api.model
    def _serial_register_kinds(self):
        """Kinds of register products whose moves this addon writes in a book."""
        return ("firearm", "medical_device")

    def _serial_register_events(self):
        """``[(entry_type, event)]`` this done line writes in the book."""
        self.ensure_one()
        src, dest = self.location_id, self.location_dest_id
        src_own, dest_own = src.usage in OWN_USAGES, dest.usage in OWN_USAGES
        if src_own and dest_own:
            return []
        if dest_own:
            event = {
                "supplier": "receipt",
                "customer": "customer_return",
                "production": "production",
                "inventory": "recovery"
                if self.lot_id.id in self.env["stock.lot"]._serial_register_recovered_ids()
                else "found",
            }.get(src.usage)
            return [("acquisition", event)] if event else []
        if src_own:
            if dest.scrap_location:
                event = "scrap"
            elif dest.usage == "inventory":
                event = "theft" if self.lot_id.serial_loss_state == "stolen" else "loss"
            else:
                event = {
                    "customer": "delivery",
                    "supplier": "vendor_return",
                    "production": "consumption",
                }.get(dest.usage)
            return [("disposition", event)] if event else []
        # Drop shipping (vendor to customer) never enters our stock: not handled yet.
        return []

    def _serial_register_partner(self, event):
        """The source or transferee named on the line for ``event``."""
        self.ensure_one()
        if event in ("receipt", "customer_return", "delivery", "vendor_return"):
            return self._serial_customer()
        if event in ("production", "consumption"):
            return self.company_id.partner_id
        return self.env["res.partner"]

    def _serial_register_entry_values(self, entry_type, event, cache=None):
        """Values of the book line of this done line (``cache``: values shared by the
        lines of one move and event, and snapshots, for one validation)."""
        self.ensure_one()
        cache = {} if cache is None else cache
        key = ("move", self.move_id.id, self.picking_id.id, entry_type, event)
        if key not in cache:
            cache[key] = self._serial_register_common_values(entry_type, event, cache)
        vals = {
            **cache[key],
            "date": self.date,
            "lot_id": self.lot_id.id,
            "move_line_id": self.id,
            "serial": self.lot_id.name,
            "reason": self._serial_register_reason(event),
        }
        kind = vals["register_kind"]
        if self.lot_id:
            vals.update(self.lot_id._register_entry_values_unit(kind))
        if (
            kind == "medical_device"
            and event == "delivery"
            and self.product_id.serial_device_tracked
        ):
            vals.update(self._serial_register_end_user_values(cache))
        return vals

    def _serial_register_common_values(self, entry_type, event, snapshots):
        """Values of the book lines of this line's move for ``event``: the company,
        the snapshots of the partner and of the product (firearm data)."""
        self.ensure_one()
        partner = self._serial_register_partner(event)
        product = self.product_id
        kind = product.serial_register_kind
        if ("partner", partner.id) not in snapshots:
            snapshots["partner", partner.id] = partner._serial_register_snapshot()
        if ("product", product.id) not in snapshots:
            snapshots["product", product.id] = getattr(product, f"_register_entry_values_{kind}")()
        vals = {
            "company_id": self.company_id.id,
            "register_kind": kind,
            "entry_type": entry_type,
            "event": event,
            "product_id": product.id,
            "picking_id": self.picking_id.id,
            **snapshots["partner", partner.id],
            **snapshots["product", product.id],
        }
        if entry_type == "disposition" and self.picking_id.serial_transaction_ref:
            vals["transaction_ref"] = self.picking_id.serial_transaction_ref
        return vals

    def _serial_register_reason(self, event):
        self.ensure_one()
        lot = self.lot_id
        if event in ("theft", "loss") and lot.serial_loss_state != "none":
            return self.env._(
                "Reported %(state)s on %(date)s, report %(ref)s",
                state=lot._serial_loss_label(lot.serial_loss_state),
                date=lot.serial_loss_date,
                ref=lot.serial_loss_reference or "-",
            )
        if event == "loss":
            return self.env._("Missing at inventory")
        if event == "scrap":
            return self.env._("Scrapped")
        if event == "recovery":
            return self.env._("Recovered after theft or loss")
        return False

    # ------------------------------------------------------------------
    # End user of tracked medical devices
    # ------------------------------------------------------------------

    def _serial_register_end_user_values(self, cache):
        """End use and end-user data of this delivery line of a tracked device."""
        self.ensure_one()
        if "end_user_lines" not in cache:
            cache["end_user_lines"] = self._serial_register_end_user_lines()
        end_use, lines = cache["end_user_lines"]
        end_use = end_use or self.picking_id.serial_register_end_use
        vals = {"end_use": end_use or False}
        line = lines.get(self.lot_id.id)
        if line and end_use in ("institution", "patient"):
            vals.update(line._serial_end_user_values())
        return vals

    def _serial_register_end_user_lines(self):
        """``(end_use, {lot_id: wizard line})`` of the end-user wizard of the context."""
        wizard_id = self.env.context.get(END_USER_KEY)
        if not wizard_id:
            return False, {}
        # The lines are the validating user's own input: read them without the
        # officer group, which they do not need to type patient data in.
        wizard = self.env["serial.register.end.user.wizard"].sudo().browse(wizard_id).exists()
        if not wizard:
            raise UserError(
                self.env._("The end-user data of this delivery is gone: validate it again.")
            )
        if wizard.create_uid.id != self.env.uid:
            raise UserError(self.env._("The end-user data of this delivery is not yours."))
        return wizard.end_use, {line.lot_id.id: line for line in wizard.line_ids}

    def _serial_register_ask_end_user(self):
        """Units delivered without their end user (RPC, imports): an activity asks the
        Register Officers to record it, naming only the unit."""
        if not self:
            return
        summary = self.env._("Record the end user of this tracked device")
        officers = {}
        for ml in self:
            key = (ml.company_id, ml.picking_id.user_id)
            if key not in officers:
                officers[key] = ml._serial_register_officer()
            lot = ml.lot_id.sudo()
            if lot.activity_ids.filtered(lambda a, s=summary: a.summary == s):
                continue
            lot.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=fields.Date.context_today(self),
                summary=summary,
                note=self.env._(
                    "%(serial)s (%(product)s) was delivered by %(reference)s without its "
                    "end user: record it with a tracking event or a correction of the "
                    "delivery line.",
                    serial=lot.name,
                    product=ml.product_id.display_name,
                    reference=ml.reference or "-",
                ),
                user_id=officers[key].id,
            )

    def _serial_register_officer(self):
        """The Register Officer the follow-up of this line goes to."""
        self.ensure_one()
        officers = (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("groups_id", "in", self.env.ref(OFFICER).id),
                    ("share", "=", False),
                    ("company_ids", "in", self.company_id.id),
                ],
                order="id",
            )
        )
        responsible = self.picking_id.user_id
        if responsible in officers:
            return responsible
        return officers[:1] or self.env.user

    def _prepare_new_lot_vals(self):
        vals = super()._prepare_new_lot_vals()
        if self.serial_udi_lot:
            vals["serial_udi_lot"] = self.serial_udi_lot
        if self.serial_udi_manufactured:
            vals["serial_udi_manufactured"] = self.serial_udi_manufactured
        if self.serial_udi_expiry_code:
            vals["serial_udi_expiry_code"] = self.serial_udi_expiry_code
            # The label's date wins over product_expiry's "received + N days".
            expiry = self.env["barcode.nomenclature"].gs1_date_to_date(self.serial_udi_expiry_code)
            vals["expiration_date"] = self.env["stock.lot"]._serial_udi_expiry_datetime(
                expiry, self.company_id
            )
        return vals

    def _serial_check_done_lines(self):
        # Safety net for _action_done called without the picking's checks (RPC, sale
        # flows, product_expiry's "deliver anyway"): the raise rolls the whole
        # validation back.
        res = super()._serial_check_done_lines()
        self._serial_check_not_expired()
        return res

    def _serial_line_problem(self):
        # Detailed Operations: warn when an expired unit is picked, not only at validation.
        problem = super()._serial_line_problem()
        if problem or not self.lot_id:
            return problem
        if self.location_dest_id.usage not in self._serial_blocked_dest_usages():
            return problem
        return next(iter(self.lot_id._serial_udi_expiry_problems()), False)

    def _serial_check_not_expired(self):
        """Refuse expired medical devices going to a customer or to production."""
        lots = self._serial_lines_leaving().lot_id
        problems = lots._serial_udi_expiry_problems()
        if problems:
            raise UserError(
                self.env._(
                    "Expired medical devices cannot be delivered:\n%(units)s",
                    units="\n".join(f" - {problem}" for problem in problems),
                )
            )
