import { patch } from "@web/core/utils/patch";
import { useState } from "@odoo/owl";
import { usePos } from "@point_of_sale/app/store/pos_hook";
import { PosStore } from "@point_of_sale/app/store/pos_store";
import { EditListPopup } from "@point_of_sale/app/store/select_lot_popup/select_lot_popup";

patch(PosStore.prototype, {
    async editLots(product, packLotLinesToEdit) {
        // The popup checks the serials of this product with the server.
        this.serialLotProduct = product;
        try {
            return await super.editLots(...arguments);
        } finally {
            this.serialLotProduct = null;
        }
    },
});

patch(EditListPopup.prototype, {
    setup() {
        super.setup(...arguments);
        this.pos = usePos();
        this.serialProduct = this.pos.serialLotProduct;
        this.serialState = useState({ reasons: {}, checking: false });
    },
    onInputChange(itemId, text) {
        delete this.serialState.reasons[itemId];
        return super.onInputChange(...arguments);
    },
    serialReason(itemId) {
        return this.serialState.reasons[itemId];
    },
    async confirm() {
        const product = this.serialProduct;
        if (!product || product.tracking !== "serial" || this.serialState.checking) {
            return super.confirm();
        }
        const items = this.state.array.filter((item) => item.text.trim());
        if (!items.length) {
            return super.confirm();
        }
        this.serialState.checking = true;
        let results;
        try {
            results = await this.pos.data.call("stock.lot", "serial_pos_check", [
                this.pos.config.id,
                product.id,
                items.map((item) => item.text),
            ]);
        } catch (error) {
            // Offline: the order keeps the serials, the server checks them again
            // when the order is synchronised.
            console.warn("Serial check unavailable, checked again at synchronisation", error);
            this.serialState.checking = false;
            return super.confirm();
        }
        this.serialState.checking = false;
        const reasons = {};
        results.forEach((result, index) => {
            if (result.ok) {
                items[index].text = result.serial;
            } else {
                reasons[items[index]._id] = result.reason;
            }
        });
        this.serialState.reasons = reasons;
        if (Object.keys(reasons).length) {
            return;
        }
        return super.confirm();
    },
});
