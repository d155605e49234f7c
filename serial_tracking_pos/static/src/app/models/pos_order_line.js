import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { formatDate } from "@web/core/l10n/dates";
import { parseUTCString } from "@point_of_sale/utils";
import { PosOrderline } from "@point_of_sale/app/models/pos_order_line";

patch(PosOrderline.prototype, {
    /** Last day of the standard warranty of a unit sold on this line, if any. */
    getSerialWarrantyEnd() {
        const product = this.product_id;
        const duration = product?.serial_pos_warranty_duration;
        const unit = product?.serial_pos_warranty_unit;
        if (product?.tracking !== "serial" || !duration || !unit || this.qty < 0) {
            return false;
        }
        const sold = this.order_id?.date_order
            ? parseUTCString(this.order_id.date_order)
            : luxon.DateTime.now();
        return sold
            .toLocal()
            .startOf("day")
            .plus({ [`${unit}s`]: duration })
            .minus({ days: 1 });
    },
    getDisplayData() {
        const data = super.getDisplayData(...arguments);
        const end = this.getSerialWarrantyEnd();
        if (end) {
            const until = _t("warranty until %s", formatDate(end));
            data.packLotLines = (data.packLotLines || []).map((text) => `${text} · ${until}`);
        }
        return data;
    },
});
